using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Engine;
using Sockeye.Protocol.EngineIO;

namespace Sockeye.Tests.Infrastructure;

/// <summary>Starts a server whose Engine.IO endpoint echoes every message back unchanged.</summary>
public static class EngineEcho
{
    public static void Echo(EngineSocket socket, EnginePacket packet) =>
        socket.Send(packet.IsBinary
            ? OutboundPacket.BinaryMessage(packet.Data.ToArray())
            : OutboundPacket.Text(EnginePacketType.Message, packet.Data.Span));

    public static Task<TestHost> StartAsync(Action<EngineOptions>? configure = null, Action<EngineSocket>? onConnection = null) =>
        TestHost.StartAsync(
            services => services.AddEngineIO(o =>
            {
                // Handshake-only test clients never poll again; do not let them hold the host's shutdown.
                o.DrainTimeout = TimeSpan.FromMilliseconds(300);
                configure?.Invoke(o);
            }),
            app => app.MapEngineIO("/engine.io", socket =>
            {
                socket.MessageReceived += Echo;
                onConnection?.Invoke(socket);
            }));
}
