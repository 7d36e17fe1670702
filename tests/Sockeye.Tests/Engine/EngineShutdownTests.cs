using System.Net.WebSockets;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

public sealed class EngineShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_closes_every_session_with_server_shutting_down()
    {
        var reasons = new List<string>();
        var host = await EngineEcho.StartAsync(onConnection: s => s.Closed += (_, r, _) => { lock (reasons) reasons.Add(r); });
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        var poll = client.PollAsync(sid);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        await host.DisposeAsync();

        Assert.Equal("1", await poll);
        var (type, _) = await ws.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal([EngineCloseReasons.ServerShuttingDown, EngineCloseReasons.ServerShuttingDown], reasons);
    }
}
