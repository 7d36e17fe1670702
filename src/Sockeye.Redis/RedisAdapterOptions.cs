namespace Sockeye.Redis;

/// <summary>Options of the Redis adapter. The defaults are those of <c>@socket.io/redis-adapter</c>.</summary>
public sealed class RedisAdapterOptions
{
    /// <summary>The prefix of every channel (<c>key</c> in the Node adapter). Default <c>socket.io</c>.</summary>
    /// <remarks>Every server of one cluster, Node or .NET, and every emitter must use the same key.</remarks>
    public string Key { get; set; } = "socket.io";

    /// <summary>
    /// How long a cluster request (<c>FetchSocketsAsync</c>, <c>AllRoomsAsync</c>, <c>ServerSideEmitWithAckAsync</c>)
    /// waits for the other servers. Default 5 s.
    /// </summary>
    /// <remarks>When it passes, the request fails with <see cref="RedisRequestTimeoutException"/> (or
    /// <see cref="AckTimeoutException"/> with the answers received, for server-side emits).</remarks>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether responses go to the requesting node's own channel (<c>socket.io-response#&lt;nsp&gt;#&lt;uid&gt;#</c>)
    /// instead of the shared one. Default <see langword="false"/>; every server of a cluster should agree.
    /// </summary>
    public bool PublishOnSpecificResponseChannel { get; set; }

    /// <summary>
    /// How long start-up waits for the first connection to Redis and for the subscriptions. Default 10 s. When Redis is
    /// not reachable in time the server starts anyway, serving its own clients, and joins the cluster once it connects.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Use Redis 7 sharded pub/sub (<c>SPUBLISH</c>/<c>SSUBSCRIBE</c>), compatible with the Node adapter's
    /// <c>createShardedAdapter</c>, instead of the classic mode. Default <see langword="false"/>. Every server of a
    /// cluster must use the same mode; the emitter works with the classic mode only.
    /// </summary>
    public bool Sharded { get; set; }

    /// <summary>Which rooms get their own channel in sharded mode. Default <see cref="ShardedSubscriptionMode.Dynamic"/>.</summary>
    public ShardedSubscriptionMode SubscriptionMode { get; set; } = ShardedSubscriptionMode.Dynamic;

    internal string? Validate()
    {
        if (string.IsNullOrEmpty(Key))
        {
            return "RedisAdapterOptions.Key must not be empty.";
        }

        if (RequestsTimeout <= TimeSpan.Zero)
        {
            return "RedisAdapterOptions.RequestsTimeout must be positive.";
        }

        return ConnectTimeout <= TimeSpan.Zero ? "RedisAdapterOptions.ConnectTimeout must be positive." : null;
    }
}
