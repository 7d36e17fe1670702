using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye.Diagnostics;
using Sockeye.Engine;
using Sockeye.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps raw Engine.IO endpoints.</summary>
public static class EngineEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves an Engine.IO v4 endpoint under <paramref name="path"/> (every URL below it, like the reference server).
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="path">The URL prefix, for example <c>/engine.io</c>.</param>
    /// <param name="onConnection">Called for each new session, before any of its messages is delivered.</param>
    /// <param name="configure">Changes to the options registered with <c>AddEngineIO</c>, for this endpoint only.</param>
    public static IEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, string path, Action<EngineSocket> onConnection, Action<EngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(onConnection);
        var options = new EngineOptions();
        endpoints.ServiceProvider.GetRequiredService<IOptions<EngineOptions>>().Value.CopyTo(options);
        configure?.Invoke(options);
        var server = CreateServer(endpoints, options, onConnection);
        return MapServer(endpoints, path, server);
    }

    internal static EngineServer CreateServer(IEndpointRouteBuilder endpoints, EngineOptions options, Action<EngineSocket> onConnection)
    {
        if (options.Validate() is { } failure)
        {
            throw new OptionsValidationException(nameof(EngineOptions), typeof(EngineOptions), [failure]);
        }

        var services = endpoints.ServiceProvider;
        var server = new EngineServer(
            options,
            onConnection,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Sockeye.Engine"),
            services.GetRequiredService<EngineMetrics>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetService<ICorsService>());
        services.GetRequiredService<EngineServerRegistry>().Add(server);
        return server;
    }

    internal static IEndpointConventionBuilder MapServer(IEndpointRouteBuilder endpoints, string path, EngineServer server)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var prefix = path.TrimEnd('/');

        // WebSockets are enabled for this endpoint only, as SignalR does, so the application needs no UseWebSockets().
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(server.HandleRequestAsync);
        var app = pipeline.Build();
        return endpoints.Map(prefix + "/{**rest}", app).WithDisplayName("Engine.IO " + prefix);
    }
}
