using System.Text.Json;
using System.Text.Json.Nodes;
using Sockeye.Redis.Tests.Infrastructure;
using static Sockeye.Redis.Tests.Infrastructure.Commands;

namespace Sockeye.Redis.Tests.Interop;

/// <summary>
/// One cluster of a Node socket.io server with the reference Redis adapter and two Sockeye servers: every operation
/// works in both directions, on the wire format of @socket.io/redis-adapter 8.x.
/// </summary>
public sealed class MixedClusterTests(MixedClusterFixture cluster) : IClassFixture<MixedClusterFixture>
{
    private Clients Clients => cluster.Clients;

    [Fact]
    public async Task Every_server_counts_three_servers()
    {
        foreach (var node in new[] { cluster.N, cluster.S1, cluster.S2 })
        {
            Assert.Equal(3, (await node.RunOkAsync(ServerCount())).GetProperty("count").GetInt32());
        }
    }

    [Fact]
    public async Task A_room_broadcast_from_Node_reaches_Sockeye_clients_with_binary_intact()
    {
        await Clients.ConnectAsync("n2s-1", cluster.S1);
        await Clients.ConnectAsync("n2s-2", cluster.S2);
        await Clients.ConnectAsync("n2s-out", cluster.S2);
        await Clients.JoinAsync("n2s-1", "from-node");
        await Clients.JoinAsync("n2s-2", "from-node");

        await cluster.N.RunOkAsync(Emit("node-news", ["text", 7, 2.5, Bytes(1, 2, 3), new JsonObject { ["nested"] = Bytes(9) }], rooms: ["from-node"]));
        await FenceAsync(cluster.N, "n2s-out");

        foreach (var name in new[] { "n2s-1", "n2s-2" })
        {
            var received = await Clients.ReceivedAsync(name, "node-news");
            Assert.Equal("""["text",7,2.5,{"$bytes":"AQID"},{"nested":{"$bytes":"CQ=="}}]""", received.GetProperty("args").GetRawText());
        }

        Assert.Empty(Clients.Received("n2s-out", "node-news"));
    }

    [Fact]
    public async Task A_room_broadcast_from_Sockeye_reaches_Node_clients_with_binary_intact()
    {
        await Clients.ConnectAsync("s2n-1", cluster.N);
        await Clients.ConnectAsync("s2n-out", cluster.N);
        await Clients.JoinAsync("s2n-1", "from-sockeye");

        await cluster.S1.RunOkAsync(Emit("sockeye-news", ["text", -7, 0.25, Bytes(4, 5), new JsonObject { ["list"] = new JsonArray(Bytes(6), null, false) }], rooms: ["from-sockeye"]));
        await FenceAsync(cluster.S1, "s2n-out");

        var received = await Clients.ReceivedAsync("s2n-1", "sockeye-news");
        Assert.Equal("""["text",-7,0.25,{"$bytes":"BAU="},{"list":[{"$bytes":"Bg=="},null,false]}]""", received.GetProperty("args").GetRawText());
        Assert.Empty(Clients.Received("s2n-out", "sockeye-news"));
    }

    [Fact]
    public async Task Except_and_several_rooms_are_honoured_both_ways()
    {
        await Clients.ConnectAsync("ex-n", cluster.N);
        await Clients.ConnectAsync("ex-s", cluster.S2);
        await Clients.JoinAsync("ex-n", "ex-r1");
        await Clients.JoinAsync("ex-s", "ex-r2");
        await Clients.JoinAsync("ex-s", "ex-quiet");

        await cluster.N.RunOkAsync(Emit("both", [1], rooms: ["ex-r1", "ex-r2"], except: ["ex-quiet"]));
        await cluster.S1.RunOkAsync(Emit("both", [2], rooms: ["ex-r1", "ex-r2"]));
        await FenceAsync(cluster.N, "ex-s");
        await FenceAsync(cluster.S1, "ex-n");
        await FenceAsync(cluster.S1, "ex-s");

        Assert.Equal([1, 2], Clients.Received("ex-n", "both").Select(r => r.GetProperty("args")[0].GetInt32()));
        Assert.Equal([2], Clients.Received("ex-s", "both").Select(r => r.GetProperty("args")[0].GetInt32()));
    }

    [Fact]
    public async Task A_client_on_Node_and_a_client_on_Sockeye_chat_through_a_room()
    {
        await Clients.ConnectAsync("chat-n", cluster.N);
        await Clients.ConnectAsync("chat-s", cluster.S2);
        await Clients.JoinAsync("chat-n", "lobby");
        await Clients.JoinAsync("chat-s", "lobby");

        await Clients.EmitAsync("chat-n", "publish", "lobby", "said", "hi from node");
        await Clients.EmitAsync("chat-s", "publish", "lobby", "said", "hi from sockeye");

        Assert.Equal("hi from node", (await Clients.ReceivedAsync("chat-s", "said")).GetProperty("args")[0].GetString());
        Assert.Equal("hi from sockeye", (await Clients.ReceivedAsync("chat-n", "said")).GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task FetchSockets_from_Sockeye_sees_Node_sockets_with_their_handshake_and_data()
    {
        var n = await Clients.ConnectAsync("fetch-n", cluster.N, user: "nina");
        var s = await Clients.ConnectAsync("fetch-s", cluster.S2, user: "sam");
        await Clients.JoinAsync("fetch-n", "fetch-mixed");
        await Clients.JoinAsync("fetch-s", "fetch-mixed");

        var result = await cluster.S1.RunOkAsync(Fetch(["fetch-mixed"]));

        var sockets = result.GetProperty("sockets").EnumerateArray().ToDictionary(x => x.Str("id")!);
        Assert.Equal(new[] { n, s }.Order(), sockets.Keys.Order());
        Assert.Equal("nina", sockets[n].Str("user"));
        Assert.Equal("N", sockets[n].GetProperty("data").Str("node"));
        Assert.Equal(new[] { n, "fetch-mixed" }.Order(), sockets[n].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.StartsWith("/socket.io/?", sockets[n].Str("url"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchSockets_from_Node_sees_Sockeye_sockets_with_their_handshake_and_data()
    {
        var s1 = await Clients.ConnectAsync("nfetch-s1", cluster.S1, user: "sue");
        var s2 = await Clients.ConnectAsync("nfetch-s2", cluster.S2, user: "sid");
        await Clients.JoinAsync("nfetch-s1", "nfetch");
        await Clients.JoinAsync("nfetch-s2", "nfetch");

        var result = await cluster.N.RunOkAsync(Fetch(["nfetch"]));

        var sockets = result.GetProperty("sockets").EnumerateArray().ToDictionary(x => x.Str("id")!);
        Assert.Equal(new[] { s1, s2 }.Order(), sockets.Keys.Order());
        Assert.Equal("sue", sockets[s1].Str("user"));
        Assert.Equal("S2", sockets[s2].GetProperty("data").Str("node"));
        Assert.Equal("sid", sockets[s2].GetProperty("data").Str("user"));
        Assert.Equal(new[] { s2, "nfetch" }.Order(), sockets[s2].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task SocketsJoin_Leave_and_Disconnect_work_both_ways()
    {
        var n = await Clients.ConnectAsync("jl-n", cluster.N);
        var s = await Clients.ConnectAsync("jl-s", cluster.S1);

        await cluster.N.RunOkAsync(SocketsJoin([s], "joined-by-node"));
        await cluster.S2.RunOkAsync(SocketsJoin([n], "joined-by-sockeye"));
        Assert.Equal([s], Ids(await cluster.S2.RunOkAsync(Fetch(["joined-by-node"]))));
        Assert.Equal([n], Ids(await cluster.N.RunOkAsync(Fetch(["joined-by-sockeye"]))));

        await cluster.N.RunOkAsync(SocketsLeave([s], "joined-by-node"));
        await cluster.S2.RunOkAsync(SocketsLeave([n], "joined-by-sockeye"));
        Assert.Empty(Ids(await cluster.S2.RunOkAsync(Fetch(["joined-by-node"]))));
        Assert.Empty(Ids(await cluster.N.RunOkAsync(Fetch(["joined-by-sockeye"]))));

        await cluster.N.RunOkAsync(DisconnectSockets([s], close: true));
        await cluster.S1.RunOkAsync(DisconnectSockets([n], close: false));
        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("jl-s")).Str("reason"));
        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("jl-n")).Str("reason"));
    }

    [Fact]
    public async Task AllRooms_works_both_ways()
    {
        await Clients.ConnectAsync("ar-n", cluster.N);
        await Clients.ConnectAsync("ar-s", cluster.S2);
        await Clients.JoinAsync("ar-n", "node-room");
        await Clients.JoinAsync("ar-s", "sockeye-room");

        foreach (var node in new[] { cluster.N, cluster.S1 })
        {
            var rooms = (await node.RunOkAsync(AllRooms())).GetProperty("rooms").EnumerateArray().Select(r => r.GetString()).ToHashSet();
            Assert.Contains("node-room", rooms);
            Assert.Contains("sockeye-room", rooms);
        }
    }

    [Fact]
    public async Task ServerSideEmit_with_and_without_ack_works_both_ways()
    {
        var marker = Guid.NewGuid().ToString("N");
        await cluster.N.RunOkAsync(ServerSideEmit("hello", marker, Bytes(7)));
        await cluster.S1.Process.WaitForAsync(l => l.Event() == "server-side" && l.GetProperty("args")[0].GetString() == marker, "hello from Node");
        var marker2 = Guid.NewGuid().ToString("N");
        await cluster.S1.RunOkAsync(ServerSideEmit("hello", marker2, 3));
        var onNode = await cluster.N.Process.WaitForAsync(l => l.Event() == "server-side" && l.GetProperty("args")[0].GetString() == marker2, "hello from Sockeye");
        Assert.Equal(3, onNode.GetProperty("args")[1].GetInt32());

        var fromNode = await cluster.N.RunOkAsync(ServerSideEmitWithAck("ask", "from N"));
        var fromSockeye = await cluster.S2.RunOkAsync(ServerSideEmitWithAck("ask", "from S2"));

        Assert.Equal(["S1", "S2"], fromNode.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("node")).Order());
        Assert.Equal(["N", "S1"], fromSockeye.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("node")).Order());
        Assert.All(fromSockeye.GetProperty("responses").EnumerateArray(), r => Assert.Equal("from S2", r[0].Str("got")));
    }

    [Fact]
    public async Task Broadcast_acknowledgements_aggregate_across_Node_and_Sockeye_both_ways()
    {
        foreach (var (name, node) in new[] { ("ba-n", cluster.N), ("ba-s1", cluster.S1), ("ba-s2", cluster.S2) })
        {
            await Clients.ConnectAsync(name, node);
            await Clients.JoinAsync(name, "ack-mixed");
        }

        var fromNode = await cluster.N.RunOkAsync(EmitWithAck("vote", [Bytes(1)], rooms: ["ack-mixed"]));
        var fromSockeye = await cluster.S1.RunOkAsync(EmitWithAck("vote", ["plain"], rooms: ["ack-mixed"]));

        string[] expected = ["ba-n", "ba-s1", "ba-s2"];
        Assert.Equal(expected, fromNode.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("from")).Order());
        Assert.Equal(expected, fromSockeye.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("from")).Order());
        Assert.All(fromNode.GetProperty("responses").EnumerateArray(), r => Assert.Equal("AQ==", r[0].GetProperty("got").Str("$bytes")));
    }

    [Fact]
    public async Task The_Node_emitter_reaches_Sockeye_and_Node_clients_and_moves_them_between_rooms()
    {
        var s = await Clients.ConnectAsync("em-s", cluster.S1);
        await Clients.ConnectAsync("em-n", cluster.N);
        await Clients.JoinAsync("em-s", "em-room");
        await Clients.JoinAsync("em-n", "em-room");

        await EmitterAsync(new JsonObject { ["op"] = "emit", ["rooms"] = new JsonArray("em-room"), ["name"] = "from-emitter", ["args"] = new JsonArray("x", Bytes(8)) });
        Assert.Equal("""["x",{"$bytes":"CA=="}]""", (await Clients.ReceivedAsync("em-s", "from-emitter")).GetProperty("args").GetRawText());
        await Clients.ReceivedAsync("em-n", "from-emitter");

        await EmitterAsync(new JsonObject { ["op"] = "socketsJoin", ["rooms"] = new JsonArray(s), ["join"] = new JsonArray("em-joined") });
        await EmitterAsync(new JsonObject { ["op"] = "emit", ["rooms"] = new JsonArray("em-joined"), ["name"] = "after-join", ["args"] = new JsonArray() });
        await Clients.ReceivedAsync("em-s", "after-join");

        var marker = Guid.NewGuid().ToString("N");
        await EmitterAsync(new JsonObject { ["op"] = "serverSideEmit", ["name"] = "hello", ["args"] = new JsonArray(marker) });
        await cluster.S2.Process.WaitForAsync(l => l.Event() == "server-side" && l.GetProperty("args")[0].GetString() == marker, "hello from the emitter");

        await EmitterAsync(new JsonObject { ["op"] = "disconnectSockets", ["rooms"] = new JsonArray(s) });
        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("em-s")).Str("reason"));
    }

    [Fact]
    public async Task The_Sockeye_emitter_reaches_Node_and_Sockeye_clients_and_moves_them_between_rooms()
    {
        var n = await Clients.ConnectAsync("sem-n", cluster.N);
        await Clients.ConnectAsync("sem-s", cluster.S2);
        await Clients.JoinAsync("sem-n", "sem-room");
        await Clients.JoinAsync("sem-s", "sem-room");
        await using var emitter = new SocketIOEmitter(cluster.Redis.Configuration);

        await emitter.To("sem-room").EmitAsync("from-dotnet", "y", new byte[] { 3 }, new { n = 1.5 });
        Assert.Equal("""["y",{"$bytes":"Aw=="},{"n":1.5}]""", (await Clients.ReceivedAsync("sem-n", "from-dotnet")).GetProperty("args").GetRawText());
        await Clients.ReceivedAsync("sem-s", "from-dotnet");

        await emitter.In(n).SocketsJoinAsync("sem-joined");
        Assert.Equal([n], Ids(await cluster.S1.RunOkAsync(Fetch(["sem-joined"]))));
        await emitter.In(n).SocketsLeaveAsync("sem-joined");
        Assert.Empty(Ids(await cluster.S1.RunOkAsync(Fetch(["sem-joined"]))));

        var marker = Guid.NewGuid().ToString("N");
        await emitter.ServerSideEmitAsync("hello", marker);
        await cluster.N.Process.WaitForAsync(l => l.Event() == "server-side" && l.GetProperty("args")[0].GetString() == marker, "hello on Node");
        await cluster.S1.Process.WaitForAsync(l => l.Event() == "server-side" && l.GetProperty("args")[0].GetString() == marker, "hello on S1");

        await emitter.To(n).DisconnectSocketsAsync(close: true);
        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("sem-n")).Str("reason"));
    }

    private static string[] Ids(JsonElement fetchResult) =>
        [.. fetchResult.GetProperty("sockets").EnumerateArray().Select(s => s.Str("id")!)];

    private Task<JsonElement> EmitterAsync(JsonObject command) => cluster.NodeEmitter.RequestAsync(command);

    private async Task FenceAsync(ClusterNode node, string client)
    {
        var marker = Guid.NewGuid().ToString("N");
        await node.RunOkAsync(Emit("fence", [marker]));
        await Clients.WaitForFenceAsync(client, marker);
    }
}
