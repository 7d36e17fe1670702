using Sockeye.Redis.Internal;

namespace Sockeye.Redis;

/// <summary>
/// Whether the Redis backplane is reachable: inject it (registered by <c>AddRedisAdapter</c>) to report readiness, for
/// example from a <c>/readyz</c> endpoint or a health check.
/// </summary>
public sealed class RedisAdapterHealth
{
    private readonly RedisBackplane _backplane;

    internal RedisAdapterHealth(RedisBackplane backplane) => _backplane = backplane;

    /// <summary>
    /// Whether Redis is connected now. While it is not, broadcasts reach this server's clients only and cluster
    /// requests fail at once with <see cref="RedisBackplaneUnavailableException"/>.
    /// </summary>
    public bool IsConnected => _backplane.IsConnected;
}
