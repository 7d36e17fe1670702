using Microsoft.Extensions.DependencyInjection.Extensions;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Messages;
using Sockeye.Chat.Operations;
using Sockeye.Chat.Realtime;

namespace Sockeye.Chat.Cluster;

/// <summary>What several instances share through Redis, besides the adapter: presence, de-duplication, readiness.</summary>
public static class ClusterExtensions
{
    /// <summary>
    /// With <c>REDIS_URL</c>: presence counted across instances, de-duplication of <c>message_id</c> in Redis in front of
    /// the store registered so far, the heartbeat that cleans up after dead instances, and a <c>redis</c> readiness
    /// check. Without it, nothing. Call after the persistence and realtime modules.
    /// </summary>
    public static WebApplicationBuilder AddChatCluster(this WebApplicationBuilder builder, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (ClusterSettings.From(builder.Configuration, settings) is not { } cluster)
        {
            return builder;
        }

        var services = builder.Services;
        services.AddSingleton(cluster);
        services.AddSingleton<ClusterRedis>();
        services.AddSingleton<RedisPresence>();
        services.Replace(ServiceDescriptor.Singleton<IRoomPresence>(sp => sp.GetRequiredService<RedisPresence>()));
        services.AddHostedService<PresenceHeartbeatService>();
        DecorateMessageStore(services);
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [OperationsExtensions.ReadyTag]);
        return builder;
    }

    private static void DecorateMessageStore(IServiceCollection services)
    {
        var store = services.LastOrDefault(d => d.ServiceType == typeof(IMessageStore))
            ?? throw new InvalidOperationException("AddChatCluster needs a message store: call AddChatPersistence first.");
        services.Remove(store);
        services.AddSingleton<IMessageStore>(sp => ActivatorUtilities.CreateInstance<RedisDeduplicatingMessageStore>(sp, Create(sp, store)));
    }

    private static IMessageStore Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IMessageStore)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
