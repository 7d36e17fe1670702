using System.Text.Json;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Interop;

/// <summary>The official socket.io-client 4.8 from npm against Sockeye.</summary>
public sealed class SocketIOClientInteropTests
{
    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task Connects_with_auth_and_query_and_echoes_every_json_and_binary_shape(string transports)
    {
        await using var host = await SocketIOTestServer.StartAsync(InteropApp.Configure);
        await using var script = NodeScript.Start("socketio-client.mjs", "echo", host.BaseAddress.ToString(), transports);

        var done = await script.ExpectAsync("done", TimeSpan.FromSeconds(90));

        var info = done.GetProperty("info");
        Assert.Equal("abc", info.GetProperty("auth").GetProperty("token").GetString());
        Assert.Equal("1", info.GetProperty("query").GetString());
        Assert.Equal(done.GetProperty("id").GetString(), info.GetProperty("id").GetString());
        Assert.Equal(11, done.GetProperty("checked").GetInt32());
        Assert.Equal(transports == "polling" ? "polling" : "websocket", done.GetProperty("transport").GetString());
    }

    [Fact]
    public async Task Server_to_client_acks_carry_json_and_binary_and_time_out_clearly()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(async socket =>
        {
            var answer = await socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("ask", new { n = 21 });
            string timeout;
            try
            {
                await socket.Timeout(TimeSpan.FromMilliseconds(200)).EmitWithAckAsync("ignore-me");
                timeout = "no timeout";
            }
            catch (AckTimeoutException ex)
            {
                timeout = ex.EventName;
            }

            await socket.EmitAsync("ask-result", new
            {
                answer = answer.GetArg<JsonElement>(0).GetProperty("answer").GetInt32(),
                bytes = answer.GetBytes(1).ToArray(),
                timeout,
            });
        }));
        await using var script = NodeScript.Start("socketio-client.mjs", "server-ack", host.BaseAddress.ToString());

        var done = await script.ExpectAsync("done");

        Assert.Equal(42, done.GetProperty("answer").GetInt32());
        Assert.Equal("ignore-me", done.GetProperty("timeout").GetString());
        Assert.Equal(new byte[] { 7, 38, 69 }, Convert.FromBase64String(done.GetProperty("bytes").GetProperty("bytes").GetString()!));
    }

    [Fact]
    public async Task Client_side_ack_timeout_does_not_disturb_the_connection()
    {
        await using var host = await SocketIOTestServer.StartAsync(InteropApp.Configure);
        await using var script = NodeScript.Start("socketio-client.mjs", "client-ack-timeout", host.BaseAddress.ToString());

        var done = await script.ExpectAsync("done");

        Assert.Equal("operation has timed out", done.GetProperty("error").GetString());
        Assert.Equal("still fine", done.GetProperty("ok").GetString());
    }

    [Fact]
    public async Task Room_broadcasts_reach_members_only_and_socket_broadcasts_exclude_the_sender()
    {
        await using var host = await SocketIOTestServer.StartAsync(InteropApp.Configure);
        await using var script = NodeScript.Start("socketio-client.mjs", "rooms", host.BaseAddress.ToString());

        var received = (await script.ExpectAsync("done")).GetProperty("received");

        string[] Messages(string name) => received.GetProperty(name).EnumerateArray().Select(args => args[0].GetString()!).ToArray();
        Assert.Equal(["to everyone in room-a", "all but room-b", "broadcast from d"], Messages("a"));
        Assert.Equal(["from a", "to everyone in room-a", "all but room-b", "broadcast from d"], Messages("b"));
        Assert.Equal(["broadcast from d"], Messages("c"));
        Assert.Equal(["all but room-b"], Messages("d"));
    }

    [Fact]
    public async Task Static_dynamic_unknown_and_protected_namespaces_behave_as_the_reference()
    {
        await using var host = await SocketIOTestServer.StartAsync(InteropApp.Configure);
        await using var script = NodeScript.Start("socketio-client.mjs", "namespaces", host.BaseAddress.ToString());

        var results = (await script.ExpectAsync("done")).GetProperty("results");

        Assert.Equal("/custom", results.GetProperty("/custom").GetProperty("name").GetString());
        Assert.Equal("/dyn-42", results.GetProperty("/dyn-42").GetProperty("name").GetString());
        Assert.Equal("/", results.GetProperty("/").GetProperty("name").GetString());
        Assert.False(results.GetProperty("/unknown").GetProperty("ok").GetBoolean());
        Assert.Equal("Invalid namespace", results.GetProperty("/unknown").GetProperty("message").GetString());
        var refused = results.GetProperty("/private");
        Assert.Equal("not authorized", refused.GetProperty("message").GetString());
        Assert.Equal("E42", refused.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Namespaces_are_multiplexed_over_one_connection()
    {
        await using var host = await SocketIOTestServer.StartAsync(InteropApp.Configure);
        await using var script = NodeScript.Start("socketio-client.mjs", "multiplex", host.BaseAddress.ToString());

        var done = await script.ExpectAsync("done");

        Assert.Equal("/", done.GetProperty("a").GetString());
        Assert.Equal("/custom", done.GetProperty("b").GetString());
        Assert.True(done.GetProperty("sameEngine").GetBoolean());
        Assert.True(done.GetProperty("engines").GetBoolean());
    }

    [Theory]
    [InlineData("server", "io server disconnect", SocketDisconnectReasons.ServerNamespaceDisconnect)]
    [InlineData("server-close", "io server disconnect", SocketDisconnectReasons.ServerNamespaceDisconnect)]
    [InlineData("client", "io client disconnect", SocketDisconnectReasons.ClientNamespaceDisconnect)]
    [InlineData("transport", "forced close", SocketDisconnectReasons.TransportClose)]
    public async Task Each_disconnect_reason_is_seen_on_both_sides(string how, string clientReason, string serverReason)
    {
        var serverSide = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await SocketIOTestServer.StartAsync(io =>
        {
            InteropApp.Configure(io);
            io.OnConnection(socket => socket.Disconnected += (_, reason, _) => serverSide.TrySetResult(reason));
        });
        await using var script = NodeScript.Start("socketio-client.mjs", "disconnect", host.BaseAddress.ToString(), how);

        var done = await script.ExpectAsync("done");

        Assert.Equal(clientReason, done.GetProperty("reason").GetString());
        Assert.Equal(serverReason, await serverSide.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Five_hundred_concurrent_clients_each_get_their_own_ack()
    {
        await using var host = await SocketIOTestServer.StartAsync(InteropApp.Configure);
        await using var script = NodeScript.Start("socketio-client.mjs", "many", host.BaseAddress.ToString(), "500");

        var done = await script.ExpectAsync("done", TimeSpan.FromSeconds(90));

        Assert.Equal(500, done.GetProperty("ok").GetInt32());
        Assert.Equal(500, done.GetProperty("ids").GetInt32());
    }

    [Fact]
    public async Task Client_reconnects_by_itself_after_the_server_restarts()
    {
        var host = await SocketIOTestServer.StartAsync(InteropApp.Configure);
        var port = host.BaseAddress.Port;
        await using var script = NodeScript.Start("socketio-client.mjs", "reconnect", host.BaseAddress.ToString());
        var first = await script.ExpectAsync("connected");

        await host.DisposeAsync();
        Assert.Equal("transport close", (await script.ExpectAsync("disconnected")).GetProperty("reason").GetString());
        await using var restarted = await SocketIOTestServer.StartAsync(InteropApp.Configure, port: port);

        var reconnected = await script.ExpectAsync("reconnected");
        Assert.Equal("after restart", reconnected.GetProperty("echo").GetString());
        Assert.NotEqual(first.GetProperty("id").GetString(), reconnected.GetProperty("id").GetString());
    }
}
