using Sockeye.Adapters;
using Sockeye.Redis.Internal;

namespace Sockeye.Redis;

/// <summary>Gives every namespace a <see cref="RedisAdapter"/> on the server's one Redis connection.</summary>
public sealed class RedisAdapterFactory : ISocketAdapterFactory
{
    private readonly RedisBackplane _backplane;
    private readonly List<RedisAdapter> _adapters = [];

    internal RedisAdapterFactory(RedisBackplane backplane) => _backplane = backplane;

    /// <inheritdoc/>
    public ISocketAdapter Create(SocketNamespace nsp)
    {
        var adapter = new RedisAdapter(nsp, _backplane);
        lock (_adapters)
        {
            _adapters.Add(adapter);
        }

        return adapter;
    }

    /// <summary>Completes when every adapter created so far listens to Redis.</summary>
    internal Task WhenAllReadyAsync()
    {
        lock (_adapters)
        {
            return Task.WhenAll(_adapters.Select(a => a.Ready));
        }
    }
}
