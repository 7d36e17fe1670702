using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sockeye.Diagnostics;
using Sockeye.Engine;
using Sockeye.Hosting;
using Sockeye.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Engine.IO server.</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services of raw Engine.IO endpoints (see <c>MapEngineIO</c>) with default options for every endpoint.
    /// </summary>
    public static IServiceCollection AddEngineIO(this IServiceCollection services, Action<EngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EngineOptions>, EngineOptionsValidator<EngineOptions>>());
        AddEngineCore(services);
        return services;
    }

    internal static void AddEngineCore(IServiceCollection services)
    {
        services.AddMetrics();
        services.AddCors();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EngineMetrics>();
        services.TryAddSingleton<EngineServerRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EngineShutdownService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, DescriptorBudget>());
    }
}
