using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sockeye;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Socket.IO endpoint.</summary>
public static class SocketIOEndpointRouteBuilderExtensions
{
    /// <summary>Serves Socket.IO under <c>/socket.io/</c>.</summary>
    public static IEndpointConventionBuilder MapSocketIO(this IEndpointRouteBuilder endpoints, Action<SocketIOServer> configure) =>
        MapSocketIO(endpoints, "/socket.io", configure);

    /// <summary>
    /// Serves Socket.IO under <paramref name="path"/> (every URL below it) and lets <paramref name="configure"/>
    /// declare namespaces, middleware and handlers.
    /// </summary>
    public static IEndpointConventionBuilder MapSocketIO(this IEndpointRouteBuilder endpoints, string path, Action<SocketIOServer> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(configure);
        var server = endpoints.ServiceProvider.GetService<SocketIOServer>()
            ?? throw new InvalidOperationException("Call services.AddSocketIO() before MapSocketIO().");
        if (server.Engine is not null)
        {
            throw new InvalidOperationException("MapSocketIO() may be called once per application.");
        }

        configure(server);
        var engine = EngineEndpointRouteBuilderExtensions.CreateServer(endpoints, server.Options, server.OnEngineConnection);
        server.Engine = engine;
        return EngineEndpointRouteBuilderExtensions.MapServer(endpoints, path, engine).WithDisplayName("Socket.IO " + path);
    }
}
