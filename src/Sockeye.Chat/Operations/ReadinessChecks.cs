using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sockeye.Chat.Cluster;
using Sockeye.Chat.Messages;
using Sockeye.Redis;

namespace Sockeye.Chat.Operations;

/// <summary>Ready only while the database answers.</summary>
internal sealed class DatabaseHealthCheck(IMessageStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.IsReachableAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not answer.");
}

/// <summary>Not ready once shutdown has begun, so that traffic moves to other instances.</summary>
internal sealed class DrainHealthCheck(DrainState drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining
            ? HealthCheckResult.Unhealthy("Shutting down.")
            : HealthCheckResult.Healthy());
}

/// <summary>
/// With <c>REDIS_URL</c>: ready only while Redis answers both the adapter (without it, broadcasts stay on this instance)
/// and the chat's own connection (presence and de-duplication).
/// </summary>
internal sealed class RedisHealthCheck(RedisAdapterHealth backplane, ClusterRedis redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !backplane.IsConnected ? HealthCheckResult.Unhealthy("The Redis backplane is not connected: broadcasts reach this instance's clients only.")
            : !redis.IsConnected ? HealthCheckResult.Unhealthy("Redis is not connected: presence and de-duplication fall back to this instance.")
            : HealthCheckResult.Healthy());
}
