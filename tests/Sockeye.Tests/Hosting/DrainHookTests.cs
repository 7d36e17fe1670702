using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Hosting;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Hosting;

public sealed class DrainHookTests
{
    [Fact]
    public async Task Drain_hooks_run_after_handshakes_are_refused_and_before_sockets_are_closed()
    {
        var hook = new RecordingHook();
        var host = await TestHost.StartAsync(
            services =>
            {
                services.AddSocketIO(o => o.DrainTimeout = TimeSpan.FromMilliseconds(500));
                services.AddSingleton<IEngineDrainHook>(hook);
            },
            app => app.MapSocketIO(_ => { }));
        var (client, id) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;
        hook.Io = host.Io();
        hook.SocketId = id;
        hook.Http = new EngineTestClient(host, "/socket.io/");

        await host.DisposeAsync();

        Assert.True(hook.SocketWasConnected);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, hook.HandshakeStatus);
        await client.ExpectClosedAsync();
        hook.Http.Dispose();
    }

    private sealed class RecordingHook : IEngineDrainHook
    {
        public SocketIOServer? Io { get; set; }

        public string? SocketId { get; set; }

        public EngineTestClient? Http { get; set; }

        public bool SocketWasConnected { get; private set; }

        public HttpStatusCode HandshakeStatus { get; private set; }

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            SocketWasConnected = Io!.Sockets.TryGetSocket(SocketId!, out var socket) && socket.Connected;
            using var response = await Http!.Http.GetAsync("/socket.io/?EIO=4&transport=polling", cancellationToken);
            HandshakeStatus = response.StatusCode;
        }
    }
}
