using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye;
using Sockeye.Hosting;
using Sockeye.Recovery;
using Sockeye.Redis;
using Sockeye.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis connection state store.</summary>
public static class RedisConnectionStateStoreBuilderExtensions
{
    /// <summary>
    /// Keeps connection state recovery in Redis (<see cref="RedisConnectionStateStore"/>) instead of in memory, on the
    /// Redis adapter's connection: a client recovers on any server of the cluster, also after its server was killed or
    /// restarted. Recovery itself is turned on by <see cref="SocketIOOptions.ConnectionStateRecovery"/>.
    /// </summary>
    /// <param name="builder">The builder, after <c>AddRedisAdapter</c>.</param>
    /// <param name="configure">Changes to the <see cref="RedisConnectionStateStoreOptions"/>.</param>
    /// <exception cref="InvalidOperationException"><c>AddRedisAdapter</c> was not called first.</exception>
    public static ISocketIOBuilder AddRedisConnectionStateStore(this ISocketIOBuilder builder, Action<RedisConnectionStateStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(RedisBackplane)))
        {
            throw new InvalidOperationException("AddRedisConnectionStateStore uses the Redis adapter's connection: call AddRedisAdapter first.");
        }

        var options = services.AddOptions<RedisConnectionStateStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Validate() is null, "Invalid RedisConnectionStateStoreOptions: check the key prefixes and SnapshotInterval.").ValidateOnStart();
        services.TryAddSingleton(sp => new RedisConnectionStateStore(
            sp.GetRequiredService<RedisBackplane>(),
            sp.GetRequiredService<IOptions<SocketIOOptions>>(),
            sp.GetRequiredService<IOptions<RedisConnectionStateStoreOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.Replace(ServiceDescriptor.Singleton<IConnectionStateStore>(sp => sp.GetRequiredService<RedisConnectionStateStore>()));
        return builder;
    }
}
