using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

public sealed class EngineWebSocketTests
{
    [Fact]
    public async Task WebSocket_only_session_opens_with_an_open_packet_offering_no_upgrades()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();

        var open = await ws.ReceiveTextAsync();

        Assert.StartsWith("0{", open);
        var json = JsonDocument.Parse(open[1..]).RootElement;
        Assert.Equal(20, json.GetProperty("sid").GetString()!.Length);
        Assert.Equal(0, json.GetProperty("upgrades").GetArrayLength());
    }

    [Fact]
    public async Task Text_and_binary_frames_are_echoed_one_packet_per_frame()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        await ws.SendTextAsync("4hello");
        await ws.SendBinaryAsync([1, 2, 3, 255]);
        await ws.SendTextAsync("4€");

        Assert.Equal("4hello", await ws.ReceiveTextAsync());
        var (type, data) = await ws.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 1, 2, 3, 255 }, data);
        Assert.Equal("4€", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Oversize_frame_closes_the_socket_with_1009()
    {
        await using var host = await EngineEcho.StartAsync(o => o.MaxHttpBufferSize = 1000);
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        await ws.SendTextAsync("4" + new string('x', 2000));
        var (type, _) = await ws.ReceiveMessageAsync();

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
    }

    [Fact]
    public async Task Frame_exactly_at_the_limit_is_accepted()
    {
        await using var host = await EngineEcho.StartAsync(o => o.MaxHttpBufferSize = 1000);
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();
        var text = "4" + new string('x', 999);

        await ws.SendTextAsync(text);

        Assert.Equal(text, await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Client_closing_the_websocket_closes_the_session_with_transport_close()
    {
        var closed = new TaskCompletionSource<string>();
        await using var host = await EngineEcho.StartAsync(onConnection: s => s.Closed += (_, r, _) => closed.TrySetResult(r));
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        Assert.Equal(EngineCloseReasons.TransportClose, await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Close_packet_over_websocket_closes_the_session_at_once()
    {
        var closed = new TaskCompletionSource<string>();
        await using var host = await EngineEcho.StartAsync(onConnection: s => s.Closed += (_, r, _) => closed.TrySetResult(r));
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        await ws.SendTextAsync("1");

        Assert.Equal(EngineCloseReasons.TransportClose, await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Server_close_flushes_queued_packets_then_closes_the_websocket_normally()
    {
        EngineSocket? socket = null;
        await using var host = await EngineEcho.StartAsync(onConnection: s => socket = s);
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        socket!.Send(OutboundPacket.TextMessage("last words"));
        socket.Close();

        Assert.Equal("4last words", await ws.ReceiveTextAsync());
        var (type, _) = await ws.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public async Task Client_ping_is_a_protocol_error()
    {
        var closed = new TaskCompletionSource<string>();
        await using var host = await EngineEcho.StartAsync(onConnection: s => s.Closed += (_, r, d) => closed.TrySetResult($"{r}: {d}"));
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        await ws.SendTextAsync("2");

        Assert.Equal("transport error: invalid heartbeat direction", await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Undecodable_text_frame_closes_the_session_with_parse_error()
    {
        var closed = new TaskCompletionSource<string>();
        await using var host = await EngineEcho.StartAsync(onConnection: s => s.Closed += (_, r, _) => closed.TrySetResult(r));
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();

        await ws.SendTextAsync("x");

        Assert.Equal(EngineCloseReasons.ParseError, await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Polling_request_for_a_websocket_session_is_a_bad_request()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        var sid = JsonDocument.Parse((await ws.ReceiveTextAsync())[1..]).RootElement.GetProperty("sid").GetString()!;

        using var response = await client.GetAsync(sid);

        await EngineHandshakeTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, 3, "Bad request");
    }
}
