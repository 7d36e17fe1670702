using System.Net;
using System.Net.WebSockets;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

public sealed class EngineUpgradeTests
{
    [Fact]
    public async Task Full_upgrade_sequence_moves_the_session_to_websocket_without_losing_or_repeating_packets()
    {
        EngineSocket? socket = null;
        var upgraded = new TaskCompletionSource();
        await using var host = await EngineEcho.StartAsync(onConnection: s =>
        {
            socket = s;
            s.Upgraded += _ => upgraded.TrySetResult();
        });
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        var poll = client.PollAsync(sid);
        await Eventually.TrueAsync(() => socket!.IsPollPending, "the poll never reached the server");

        using var ws = await client.ConnectWebSocketAsync(sid);
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());

        // The pending poll is released with a noop so the client can pause polling.
        Assert.Equal("6", await poll);

        // Packets sent while the upgrade is in flight wait for the new transport.
        socket!.Send(OutboundPacket.TextMessage("during upgrade 1"));
        socket.Send(OutboundPacket.TextMessage("during upgrade 2"));
        Assert.Equal("6", await client.PollAsync(sid));

        await ws.SendTextAsync("5");
        await upgraded.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("4during upgrade 1", await ws.ReceiveTextAsync());
        Assert.Equal("4during upgrade 2", await ws.ReceiveTextAsync());
        Assert.Equal("websocket", socket.TransportName);

        await ws.SendTextAsync("4after");
        Assert.Equal("4after", await ws.ReceiveTextAsync());

        using var lateGet = await client.GetAsync(sid);
        await EngineHandshakeTests.AssertErrorAsync(lateGet, HttpStatusCode.BadRequest, 3, "Bad request");
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectWebSocketAsync(sid));
    }

    [Fact]
    public async Task A_second_websocket_during_the_probe_is_refused()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        using var first = await client.ConnectWebSocketAsync(sid);
        await first.SendTextAsync("2probe");
        Assert.Equal("3probe", await first.ReceiveTextAsync());

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectWebSocketAsync(sid));
    }

    [Fact]
    public async Task Upgrade_that_never_completes_drops_only_the_new_transport()
    {
        await using var host = await EngineEcho.StartAsync(o => o.UpgradeTimeout = TimeSpan.FromMilliseconds(200));
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        using var ws = await client.ConnectWebSocketAsync(sid);
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());

        // The server aborts the probe socket: the client sees the connection end without a close handshake.
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ReceiveMessageAsync(TimeSpan.FromSeconds(5)));

        await client.PostOkAsync(sid, "4still polling");
        Assert.Equal("4still polling", await client.PollAsync(sid));
    }

    [Fact]
    public async Task Unexpected_packet_during_the_probe_aborts_the_upgrade_but_keeps_the_session()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        using var ws = await client.ConnectWebSocketAsync(sid);

        await ws.SendTextAsync("4not a probe");

        // The server aborts the probe socket: the client sees the connection end without a close handshake.
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ReceiveMessageAsync(TimeSpan.FromSeconds(5)));
        await client.PostOkAsync(sid, "4ok");
        Assert.Equal("4ok", await client.PollAsync(sid));
    }

    [Fact]
    public async Task Upgrade_is_refused_when_upgrades_are_disabled()
    {
        await using var host = await EngineEcho.StartAsync(o => o.AllowUpgrades = false);
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectWebSocketAsync(sid));
    }
}
