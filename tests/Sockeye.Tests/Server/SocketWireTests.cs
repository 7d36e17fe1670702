using System.Text.Json;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Server;

/// <summary>Exact Socket.IO packets on the wire, with a raw client.</summary>
public sealed class SocketWireTests
{
    [Fact]
    public async Task Connect_reply_carries_a_socket_id_distinct_from_the_engine_id()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { });
        var (client, id) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        Assert.Equal(20, id.Length);
        Assert.NotEqual(client.EngineId, id);
        Assert.True(host.Io().Sockets.TryGetSocket(id, out var socket));
        Assert.Contains(id, socket.Rooms);
    }

    [Fact]
    public async Task Unknown_namespace_gets_connect_error_and_the_connection_stays_usable()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s => s.On("ping", ctx => ctx.AckAsync("pong"))));
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.SendAsync("0/random");
        Assert.Equal("4/random,{\"message\":\"Invalid namespace\"}", await client.ReceiveAsync());

        await client.JoinAsync();
        await client.SendAsync("27[\"ping\"]");
        Assert.Equal("37[\"pong\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Middleware_rejection_sends_message_and_data()
    {
        await using var host = await SocketIOTestServer.StartAsync(io =>
            io.Of("/admin").Use((_, _) => throw new ConnectionRejectedException("Not authorized", new { code = 42 })));
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.SendAsync("0/admin,{\"token\":\"x\"}");

        Assert.Equal("4/admin,{\"message\":\"Not authorized\",\"data\":{\"code\":42}}", await client.ReceiveAsync());
        Assert.Empty(host.Io().Of("/admin").Sockets);
    }

    [Fact]
    public async Task Middleware_failure_other_than_rejection_hides_the_exception_message()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.Use((_, _) => throw new InvalidOperationException("database password is hunter2")));
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.SendAsync("0");

        Assert.Equal("4{\"message\":\"Internal server error\"}", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Binary_event_from_the_client_reaches_the_handler_and_binary_goes_back()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s => s.On("upload", ctx =>
        {
            var bytes = ctx.GetBytes(0).ToArray();
            Array.Reverse(bytes);
            s.Emit("reversed", new { data = bytes, length = bytes.Length });
        })));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        await client.SendAsync("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([1, 2, 3]);

        Assert.Equal("51-[\"reversed\",{\"data\":{\"_placeholder\":true,\"num\":0},\"length\":3}]", await client.ReceiveAsync());
        Assert.Equal(new byte[] { 3, 2, 1 }, await client.ReceiveBinaryAsync());
    }

    [Theory]
    [InlineData("2garbage")]
    [InlineData("2[\"connect\"]")]
    [InlineData("511-[\"x\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("9")]
    public async Task Invalid_packet_closes_only_the_offending_connection(string packet)
    {
        var reasons = new List<string>();
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s =>
        {
            s.Disconnected += (_, reason, _) => { lock (reasons) reasons.Add(reason); };
            s.On("ping", ctx => ctx.AckAsync("pong"));
        }));
        var (bad, _) = await RawSocketIOClient.ConnectAsync(host);
        var (good, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var b = bad;
        await using var g = good;

        await bad.SendAsync(packet);
        await bad.ExpectClosedAsync();

        await good.SendAsync("21[\"ping\"]");
        Assert.Equal("31[\"pong\"]", await good.ReceiveAsync());
        await Eventually.TrueAsync(() => { lock (reasons) return reasons.Count == 1; }, "the offender's socket never disconnected");
        Assert.Equal([SocketDisconnectReasons.ParseError], reasons);
    }

    [Fact]
    public async Task Client_acks_reach_the_awaiting_emit_and_unknown_ids_are_ignored()
    {
        var result = new TaskCompletionSource<string>();
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(async s =>
        {
            var answer = await s.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("question", 1);
            result.SetResult(answer.GetArg<string>(0)!);
        }));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        var question = await client.ReceiveAsync();
        Assert.Matches("^2\\d+\\[\"question\",1\\]$", question);
        var id = question[1..question.IndexOf('[', StringComparison.Ordinal)];

        await client.SendAsync("3999[\"unknown\"]");
        await client.SendAsync($"3{id}[\"answer\"]");
        await client.SendAsync($"3{id}[\"twice\"]");

        Assert.Equal("answer", await result.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Handler_ack_fires_at_most_once()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s => s.On("ev", async ctx =>
        {
            await ctx.AckAsync("first");
            await ctx.AckAsync("second");
            s.Emit("after");
        })));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        await client.SendAsync("25[\"ev\"]");

        Assert.Equal("35[\"first\"]", await client.ReceiveAsync());
        Assert.Equal("2[\"after\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Connection_that_joins_no_namespace_is_closed_after_connect_timeout()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { }, o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.ExpectClosedAsync();
    }

    [Fact]
    public async Task Events_sent_right_after_connect_reach_handlers_registered_in_an_async_connection_handler()
    {
        var gate = new TaskCompletionSource();
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(async s =>
        {
            s.On("early", ctx => ctx.AckAsync("seen"));
            await gate.Task;
        }));
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.SendAsync("0");
        await client.SendAsync("21[\"early\"]");

        Assert.StartsWith("0{", await client.ReceiveAsync());
        Assert.Equal("31[\"seen\"]", await client.ReceiveAsync());
        gate.SetResult();
    }

    [Fact]
    public async Task Packet_middleware_can_drop_a_packet_and_raises_error()
    {
        var errors = new TaskCompletionSource<string>();
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s =>
        {
            s.Use((ctx, next) => ctx.EventName == "forbidden" ? throw new InvalidOperationException("not allowed") : next());
            s.Error += (_, ex) => errors.TrySetResult(ex.Message);
            s.On("forbidden", ctx => ctx.AckAsync("should not run"));
            s.On("allowed", ctx => ctx.AckAsync("ran"));
        }));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        await client.SendAsync("21[\"forbidden\"]");
        await client.SendAsync("22[\"allowed\"]");

        Assert.Equal("32[\"ran\"]", await client.ReceiveAsync());
        Assert.Equal("not allowed", await errors.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Reserved_event_names_cannot_be_emitted()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { });
        var io = host.Io();

        foreach (var name in new[] { "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener" })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => io.EmitAsync(name).AsTask());
            Assert.Contains(name, error.Message);
        }
    }

    [Fact]
    public async Task Pending_acks_fail_when_the_socket_disconnects()
    {
        var failure = new TaskCompletionSource<Exception>();
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(async s =>
        {
            try
            {
                await s.EmitWithAckAsync("never-answered");
            }
            catch (Exception ex)
            {
                failure.SetResult(ex);
            }
        }));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);

        await client.ReceiveAsync();
        await client.SendAsync("1");

        var error = Assert.IsType<SocketDisconnectedException>(await failure.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(SocketDisconnectReasons.ClientNamespaceDisconnect, error.Reason);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Disconnecting_sees_the_rooms_and_disconnected_sees_them_gone()
    {
        var seen = new TaskCompletionSource<(string[] Before, string[] After)>();
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s =>
        {
            s.Join(["a", "b"]);
            string[] before = [];
            s.Disconnecting += (socket, _, _) => before = [.. socket.Rooms.Order()];
            s.Disconnected += (socket, _, _) => seen.SetResult((before, [.. socket.Rooms]));
        }));
        var (client, id) = await RawSocketIOClient.ConnectAsync(host);
        await client.SendAsync("1");

        var (beforeRooms, afterRooms) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { "a", "b", id }.Order(), beforeRooms);
        Assert.Empty(afterRooms);
        Assert.Empty(host.Io().Sockets.Adapter.GetRooms());
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_disconnects_every_socket_with_server_shutting_down()
    {
        var reason = new TaskCompletionSource<string>();
        var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s => s.Disconnected += (_, r, _) => reason.TrySetResult(r)));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        await host.DisposeAsync();

        Assert.Equal(SocketDisconnectReasons.ServerShuttingDown, await reason.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await client.ExpectClosedAsync();
    }

    [Fact]
    public async Task Typed_handler_deserializes_the_first_argument_with_web_defaults()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s =>
            s.On<Greeting>("greet", async (greeting, ack) => await ack($"hello {greeting.Name} ({greeting.Times})"))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        await client.SendAsync("27[\"greet\",{\"name\":\"Ada\",\"times\":3}]");

        Assert.Equal("37[\"hello Ada (3)\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Catch_all_listeners_see_incoming_and_outgoing_events()
    {
        var incoming = new List<string>();
        var outgoing = new List<string>();
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s =>
        {
            s.OnAny(ctx => { lock (incoming) incoming.Add(ctx.EventName + ":" + ctx.Args[0].GetRawText()); });
            s.OnAnyOutgoing((name, args) => { lock (outgoing) outgoing.Add(name + ":" + JsonSerializer.Serialize(args)); });
            s.On("hi", async ctx => { s.Emit("reply", 1); await io.EmitAsync("all", 2); });
        }));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        await client.SendAsync("2[\"hi\",\"there\"]");
        Assert.Equal("2[\"reply\",1]", await client.ReceiveAsync());
        Assert.Equal("2[\"all\",2]", await client.ReceiveAsync());

        Assert.Equal(["hi:\"there\""], incoming);
        Assert.Equal(["reply:[1]", "all:[2]"], outgoing);
    }

    [Fact]
    public async Task Handlers_of_one_event_run_in_registration_order_and_Off_removes_every_one()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s =>
        {
            var calls = new List<string>();
            s.On("e", _ => calls.Add("first"));
            s.On("other", _ => calls.Add("other"));
            s.On("e", ctx => ctx.AckAsync([.. calls]));
            s.On("off", ctx =>
            {
                s.Off("e");
                return ctx.AckAsync();
            });
            s.On("ping", ctx => ctx.AckAsync("pong"));
        }));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        await client.SendAsync("21[\"e\"]");
        Assert.Equal("31[\"first\"]", await client.ReceiveAsync());

        await client.SendAsync("22[\"off\"]");
        Assert.Equal("32[]", await client.ReceiveAsync());

        // Handlers run in the order packets arrive: had "e" kept a handler, its ack would come before the ping's.
        await client.SendAsync("23[\"e\"]");
        await client.SendAsync("24[\"ping\"]");
        Assert.Equal("34[\"pong\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_client_in_two_namespaces_gets_each_namespace_its_own_packets()
    {
        await using var host = await SocketIOTestServer.StartAsync(io =>
        {
            io.OnConnection(s => s.On("who", ctx => ctx.AckAsync("main")));
            io.Of("/admin").OnConnection(s => s.On("who", ctx => ctx.AckAsync("admin")));
        });
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;
        await client.JoinAsync("/admin");

        await client.SendAsync("2/admin,5[\"who\"]");
        Assert.Equal("3/admin,5[\"admin\"]", await client.ReceiveAsync());
        await client.SendAsync("26[\"who\"]");
        Assert.Equal("36[\"main\"]", await client.ReceiveAsync());

        // After leaving /admin its packets are ignored, and the main namespace carries on.
        await client.SendAsync("1/admin,");
        await client.SendAsync("2/admin,7[\"who\"]");
        await client.SendAsync("28[\"who\"]");
        Assert.Equal("38[\"main\"]", await client.ReceiveAsync());
        Assert.Empty(host.Io().Of("/admin").Sockets);
    }

    private sealed record Greeting(string Name, int Times);
}
