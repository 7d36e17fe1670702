using System.Text.Json;
using Sockeye.Recovery;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Recovery;

public sealed class ConnectionStateRecoveryTests
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_client_whose_transport_dies_gets_its_id_rooms_and_the_missed_events_back(string transport)
    {
        await using var host = await SocketIOTestServer.StartAsync(
            io => io.OnConnection(socket =>
            {
                socket.On("join", ctx =>
                {
                    socket.Join("r");
                    socket.Data["name"] = "ada";
                    return ctx.AckAsync();
                });
                socket.On("whoami", ctx => ctx.AckAsync(new { rooms = socket.Rooms.Order(), name = socket.Data.GetValueOrDefault("name"), recovered = socket.Recovered }));
            }),
            o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions());
        var io = host.Io();
        await using var script = NodeScript.Start("chat-actors.mjs", host.BaseAddress.ToString());
        await script.ExpectAsync("ready");

        await script.SendAsync(Command(new { op = "connect", name = "a", reconnection = true, transports = new[] { transport } }));
        var first = await script.ExpectAsync("connected");
        Assert.False(first.GetProperty("recovered").GetBoolean());
        var id = first.GetProperty("id").GetString();
        await script.SendAsync(Command(new { op = "emit", name = "a", @event = "join", args = Array.Empty<object>(), ack = true, @ref = 1 }));
        await script.ExpectAsync("ack");

        await io.To("r").EmitAsync("tick", 1);
        var tick1 = await script.ExpectAsync("received");
        Assert.Equal(1, tick1.GetProperty("args")[0].GetInt32());
        Assert.Equal(JsonValueKind.String, tick1.GetProperty("args")[1].ValueKind);

        await script.SendAsync(Command(new { op = "kill-transport", name = "a" }));
        await script.ExpectAsync("disconnect");
        await Eventually.TrueAsync(() => io.Sockets.Sockets.Count == 0, "the server never saw the transport die");
        await io.To("r").EmitAsync("tick", 2);
        await io.EmitAsync("everyone", 3);
        await io.To("elsewhere").EmitAsync("not-for-a", 4);

        var replayed = new List<string>();
        JsonElement reconnected;
        while (true)
        {
            var line = await script.ReadAsync();
            var name = line.GetProperty("event").GetString();
            if (name == "received")
            {
                replayed.Add(line.GetProperty("type").GetString() + ":" + line.GetProperty("args")[0].GetRawText());
            }
            else if (name == "connected")
            {
                reconnected = line;
                break;
            }
        }

        Assert.Equal(id, reconnected.GetProperty("id").GetString());
        Assert.True(reconnected.GetProperty("recovered").GetBoolean());
        Assert.Equal(["tick:2", "everyone:3"], replayed);

        await script.SendAsync(Command(new { op = "emit", name = "a", @event = "whoami", args = Array.Empty<object>(), ack = true, @ref = 2 }));
        var state = (await script.ExpectAsync("ack")).GetProperty("result");
        Assert.Contains("r", state.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("ada", state.GetProperty("name").GetString());
        Assert.True(state.GetProperty("recovered").GetBoolean());
    }

    [Fact]
    public async Task Connect_reply_carries_a_private_session_id_and_an_unknown_one_gives_a_fresh_socket()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { }, o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions());
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.SendAsync("0{\"pid\":\"unknown-session\",\"offset\":\"nope-1\"}");
        var reply = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;

        Assert.Equal(20, reply.GetProperty("sid").GetString()!.Length);
        Assert.Equal(20, reply.GetProperty("pid").GetString()!.Length);
        Assert.NotEqual("unknown-session", reply.GetProperty("pid").GetString());
        Assert.False(host.Io().Sockets.Sockets[reply.GetProperty("sid").GetString()!].Recovered);
    }

    [Fact]
    public async Task Without_recovery_there_is_no_pid_and_no_offset()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s => s.Emit("hello", 1)));
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.SendAsync("0");

        Assert.Matches("^0\\{\"sid\":\"[\\w-]{20}\"\\}$", await client.ReceiveAsync());
        Assert.Equal("2[\"hello\",1]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_client_namespace_disconnect_is_not_kept_for_recovery()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { }, o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions());
        await using var client = await RawSocketIOClient.OpenAsync(host);
        await client.SendAsync("0");
        var first = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;
        await host.Io().EmitAsync("tick", 1);
        var tick = await client.ReceiveAsync();
        var offset = JsonDocument.Parse(tick[1..]).RootElement[2].GetString();

        await client.SendAsync("1");
        await Eventually.TrueAsync(() => host.Io().Sockets.Sockets.Count == 0, "the socket never left");
        await client.SendAsync($"0{{\"pid\":\"{first.GetProperty("pid").GetString()}\",\"offset\":\"{offset}\"}}");
        var second = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;

        Assert.NotEqual(first.GetProperty("sid").GetString(), second.GetProperty("sid").GetString());
    }

    private static string Command(object command) => JsonSerializer.Serialize(command, JsonSerializerOptions.Web);
}
