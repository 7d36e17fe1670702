using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sockeye.Tests.Infrastructure;

/// <summary>
/// A minimal Socket.IO client over a WebSocket-only Engine.IO session, for assertions on exact wire packets.
/// Answers server pings by itself.
/// </summary>
public sealed class RawSocketIOClient : IAsyncDisposable
{
    private RawSocketIOClient(ClientWebSocket socket, string engineId)
    {
        WebSocket = socket;
        EngineId = engineId;
    }

    public ClientWebSocket WebSocket { get; }

    public string EngineId { get; }

    public static async Task<RawSocketIOClient> OpenAsync(TestHost host)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(host.WebSocketUrl("/socket.io/?EIO=4&transport=websocket"), CancellationToken.None);
        var open = await socket.ReceiveTextAsync();
        Assert.StartsWith("0{", open);
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        return new RawSocketIOClient(socket, sid);
    }

    /// <summary>Opens a connection and joins a namespace; returns the client and the socket id from the CONNECT reply.</summary>
    public static async Task<(RawSocketIOClient Client, string SocketId)> ConnectAsync(TestHost host, string nsp = "/", string? auth = null)
    {
        var client = await OpenAsync(host);
        var id = await client.JoinAsync(nsp, auth);
        return (client, id);
    }

    public async Task<string> JoinAsync(string nsp = "/", string? auth = null)
    {
        var prefix = nsp == "/" ? string.Empty : nsp + ",";
        await SendAsync("0" + prefix + (auth ?? string.Empty));
        var reply = await ReceiveAsync();
        Assert.StartsWith("0" + prefix + "{", reply);
        return JsonDocument.Parse(reply[(1 + prefix.Length)..]).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>Sends a Socket.IO packet (the Engine.IO message prefix is added).</summary>
    public Task SendAsync(string packet) => WebSocket.SendTextAsync("4" + packet);

    public Task SendBinaryAsync(byte[] data) => WebSocket.SendBinaryAsync(data);

    /// <summary>Receives the next Socket.IO text packet (without the Engine.IO prefix), answering pings.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var (type, data) = await WebSocket.ReceiveMessageAsync(timeout);
            Assert.NotEqual(WebSocketMessageType.Close, type);
            Assert.Equal(WebSocketMessageType.Text, type);
            var text = Encoding.UTF8.GetString(data);
            if (text == "2")
            {
                await WebSocket.SendTextAsync("3");
                continue;
            }

            Assert.StartsWith("4", text);
            return text[1..];
        }
    }

    public async Task<byte[]> ReceiveBinaryAsync()
    {
        var (type, data) = await WebSocket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        return data;
    }

    /// <summary>Waits until the server closes the connection; fails if a packet other than a ping arrives first.</summary>
    public async Task ExpectClosedAsync()
    {
        while (true)
        {
            WebSocketMessageType type;
            byte[] data;
            try
            {
                (type, data) = await WebSocket.ReceiveMessageAsync(TimeSpan.FromSeconds(10));
            }
            catch (WebSocketException)
            {
                return;
            }

            if (type == WebSocketMessageType.Close)
            {
                return;
            }

            var text = Encoding.UTF8.GetString(data);
            Assert.True(text == "2", $"expected the connection to close, got '{text}'");
        }
    }

    public async ValueTask DisposeAsync()
    {
        WebSocket.Abort();
        WebSocket.Dispose();
        await Task.CompletedTask;
    }
}
