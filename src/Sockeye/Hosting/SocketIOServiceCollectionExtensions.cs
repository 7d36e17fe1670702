using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye;
using Sockeye.Adapters;
using Sockeye.Diagnostics;
using Sockeye.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Socket.IO server.</summary>
public static class SocketIOServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Socket.IO server (<see cref="SocketIOServer"/>, a singleton) with the in-memory adapter unless another
    /// <see cref="ISocketAdapterFactory"/> is registered. Map it with <c>MapSocketIO</c>.
    /// </summary>
    public static ISocketIOBuilder AddSocketIO(this IServiceCollection services, Action<SocketIOOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SocketIOOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocketIOOptions>, EngineOptionsValidator<SocketIOOptions>>());
        EngineServiceCollectionExtensions.AddEngineCore(services);
        services.TryAddSingleton<ISocketAdapterFactory, InMemoryAdapterFactory>();
        services.TryAddSingleton(sp => new SocketIOMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new SocketIOServer(
            sp.GetRequiredService<IOptions<SocketIOOptions>>(),
            sp.GetRequiredService<ISocketAdapterFactory>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<SocketIOMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Sockeye.Recovery.IConnectionStateStore>()));
        services.TryAddSingleton<Sockeye.Recovery.IConnectionStateStore, Sockeye.Recovery.InMemoryConnectionStateStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, Sockeye.Recovery.ConnectionStateSnapshotService>());
        return new SocketIOBuilder(services);
    }
}
