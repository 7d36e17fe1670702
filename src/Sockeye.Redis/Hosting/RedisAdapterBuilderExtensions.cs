using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye.Adapters;
using Sockeye.Hosting;
using Sockeye.Redis;
using Sockeye.Redis.Hosting;
using Sockeye.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis adapter.</summary>
public static class RedisAdapterBuilderExtensions
{
    /// <summary>
    /// Replaces the in-memory adapter with the Redis adapter, connecting with a StackExchange.Redis configuration
    /// string (<c>host:port,password=...</c>) or a <c>redis://</c> URL. The connection is owned by the server: it fails
    /// fast while Redis is down (no command backlog) and reconnects by itself.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSocketIO</c>.</param>
    /// <param name="configuration">Where Redis is.</param>
    /// <param name="configure">Changes to the <see cref="RedisAdapterOptions"/>.</param>
    public static ISocketIOBuilder AddRedisAdapter(this ISocketIOBuilder builder, string configuration, Action<RedisAdapterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        var options = RedisConfiguration.Parse(configuration);
        return AddCore(builder, _ => async () => await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false), ownsConnection: true, configure);
    }

    /// <summary>
    /// Replaces the in-memory adapter with the Redis adapter on a connection made by the application. Each server
    /// process needs its own connection: servers are counted by their subscriptions to Redis.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSocketIO</c>.</param>
    /// <param name="connectionFactory">Makes (or returns) the connection; it is not disposed by the adapter.</param>
    /// <param name="configure">Changes to the <see cref="RedisAdapterOptions"/>.</param>
    public static ISocketIOBuilder AddRedisAdapter(this ISocketIOBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connectionFactory, Action<RedisAdapterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionFactory);
        return AddCore(builder, sp => () => Task.FromResult(connectionFactory(sp)), ownsConnection: false, configure);
    }

    private static ISocketIOBuilder AddCore(ISocketIOBuilder builder, Func<IServiceProvider, Func<Task<IConnectionMultiplexer>>> connect, bool ownsConnection, Action<RedisAdapterOptions>? configure)
    {
        var services = builder.Services;
        var options = services.AddOptions<RedisAdapterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Validate() is null, "Invalid RedisAdapterOptions: check Key, RequestsTimeout and ConnectTimeout.").ValidateOnStart();
        services.TryAddSingleton(sp => new RedisBackplane(
            connect(sp),
            ownsConnection,
            sp.GetRequiredService<IOptions<RedisAdapterOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new RedisAdapterHealth(sp.GetRequiredService<RedisBackplane>()));
        services.TryAddSingleton(sp => new RedisAdapterFactory(sp.GetRequiredService<RedisBackplane>()));
        services.Replace(ServiceDescriptor.Singleton<ISocketAdapterFactory>(sp => sp.GetRequiredService<RedisAdapterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisAdapterStartup>());
        return builder;
    }
}
