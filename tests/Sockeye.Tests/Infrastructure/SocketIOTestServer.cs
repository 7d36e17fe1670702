using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Sockeye.Tests.Infrastructure;

/// <summary>Starts a real Kestrel server with Socket.IO mapped at /socket.io/.</summary>
public static class SocketIOTestServer
{
    public static Task<TestHost> StartAsync(Action<SocketIOServer> configure, Action<SocketIOOptions>? options = null, int port = 0) =>
        TestHost.StartAsync(
            services => services.AddSocketIO(o =>
            {
                o.DrainTimeout = TimeSpan.FromMilliseconds(500);
                options?.Invoke(o);
            }),
            app => app.MapSocketIO(configure),
            port);

    public static SocketIOServer Io(this TestHost host) => host.Services.GetRequiredService<SocketIOServer>();
}
