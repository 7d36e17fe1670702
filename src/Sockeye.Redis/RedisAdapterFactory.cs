using Sockeye.Adapters;
using Sockeye.Redis.Internal;

namespace Sockeye.Redis;

/// <summary>
/// Gives every namespace a <see cref="RedisAdapter"/> (or a <see cref="ShardedRedisAdapter"/>) on the server's one Redis
/// connection.
/// </summary>
internal sealed class RedisAdapterFactory : ISocketAdapterFactory
{
    private readonly RedisBackplane _backplane;
    private readonly List<Task> _ready = [];

    internal RedisAdapterFactory(RedisBackplane backplane) => _backplane = backplane;

    /// <inheritdoc/>
    public ISocketAdapter Create(SocketNamespace nsp)
    {
        ISocketAdapter adapter;
        Task ready;
        if (_backplane.Options.Sharded)
        {
            var sharded = new ShardedRedisAdapter(nsp, _backplane);
            (adapter, ready) = (sharded, sharded.Ready);
        }
        else
        {
            var classic = new RedisAdapter(nsp, _backplane);
            (adapter, ready) = (classic, classic.Ready);
        }

        lock (_ready)
        {
            _ready.Add(ready);
        }

        return adapter;
    }

    /// <summary>Completes when every adapter created so far listens to Redis.</summary>
    internal Task WhenAllReadyAsync()
    {
        lock (_ready)
        {
            return Task.WhenAll(_ready);
        }
    }
}
