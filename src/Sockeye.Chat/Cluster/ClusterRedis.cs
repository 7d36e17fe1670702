using StackExchange.Redis;

namespace Sockeye.Chat.Cluster;

/// <summary>
/// The chat's own Redis connection, for presence and de-duplication (the adapter keeps its own for pub/sub). It is
/// made when the host starts. While Redis is unreachable, commands fail at once rather than queue, and each caller
/// falls back to what this instance knows: the database for de-duplication, the local counts for presence.
/// </summary>
internal sealed class ClusterRedis(ClusterSettings settings) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private Task? _connecting;
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>The database, or null until the first connection attempt has finished.</summary>
    public IDatabase? Database => Volatile.Read(ref _multiplexer)?.GetDatabase();

    /// <summary>Whether Redis answers now.</summary>
    public bool IsConnected => Volatile.Read(ref _multiplexer) is { IsConnected: true };

    /// <summary>Connects on the first call. It completes even when Redis is down; the connection keeps retrying.</summary>
    public Task ConnectAsync()
    {
        lock (_lock)
        {
            return _connecting ??= ConnectCoreAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _multiplexer, null) is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ConnectCoreAsync()
    {
        var options = RedisUrl.Parse(settings.RedisUrl);
        options.ClientName ??= "sockeye-chat";
        Volatile.Write(ref _multiplexer, await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false));
    }
}
