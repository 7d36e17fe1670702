using System.Text.Json;
using System.Text.Json.Nodes;
using Sockeye.Redis.Tests.Infrastructure;
using ConnectionMultiplexer = StackExchange.Redis.ConnectionMultiplexer;
using RedisResult = StackExchange.Redis.RedisResult;
using static Sockeye.Redis.Tests.Infrastructure.Commands;

namespace Sockeye.Redis.Tests.Interop;

/// <summary>Redis 7 sharded pub/sub: a Node server on <c>createShardedAdapter</c> (N) and two sharded Sockeye servers.</summary>
public sealed class ShardedClusterFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public ClusterNode N { get; private set; } = null!;

    public ClusterNode S1 { get; private set; } = null!;

    public ClusterNode S2 { get; private set; } = null!;

    public Clients Clients { get; private set; } = null!;

    public ConnectionMultiplexer Probe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        N = await ClusterNode.StartNodeAsync("N", Redis, sharded: true);
        S1 = await ClusterNode.StartSockeyeAsync("S1", Redis, sharded: true);
        S2 = await ClusterNode.StartSockeyeAsync("S2", Redis, sharded: true);
        Clients = await Clients.StartAsync();
        Probe = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        if (Probe is not null)
        {
            await Probe.DisposeAsync();
        }

        foreach (var process in new IAsyncDisposable?[] { Clients, N, S1, S2 })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        await Redis.DisposeAsync();
    }

    /// <summary>Waits until <paramref name="servers"/> servers listen to a room's channel (rooms subscribe as they appear).</summary>
    public async Task RoomSubscribedAsync(string room, int servers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var result = (RedisResult[])(await Probe.GetDatabase().ExecuteAsync("PUBSUB", "SHARDNUMSUB", $"socket.io#/#{room}#"))!;
            if ((long)result[1] == servers)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{servers} servers never subscribed to room {room}");
            await Task.Delay(20);
        }
    }
}

/// <summary>Sharded mode: the cluster message format of <c>createShardedAdapter</c>, in both directions.</summary>
public sealed class ShardedClusterTests(ShardedClusterFixture cluster) : IClassFixture<ShardedClusterFixture>
{
    private Clients Clients => cluster.Clients;

    [Fact]
    public async Task Every_server_counts_three_servers_on_the_namespace_channel()
    {
        foreach (var node in new[] { cluster.N, cluster.S1, cluster.S2 })
        {
            Assert.Equal(3, (await node.RunOkAsync(ServerCount())).GetProperty("count").GetInt32());
        }
    }

    [Fact]
    public async Task Room_broadcasts_travel_on_room_channels_both_ways_with_binary()
    {
        await Clients.ConnectAsync("sh-n", cluster.N);
        await Clients.ConnectAsync("sh-s", cluster.S2);
        await Clients.JoinAsync("sh-n", "sharded-room");
        await Clients.JoinAsync("sh-s", "sharded-room");
        await cluster.RoomSubscribedAsync("sharded-room", 2);

        await cluster.N.RunOkAsync(Emit("from-n", ["a", Bytes(1, 2)], rooms: ["sharded-room"]));
        await cluster.S1.RunOkAsync(Emit("from-s1", [new JsonObject { ["k"] = Bytes(3) }], rooms: ["sharded-room"]));

        Assert.Equal("""["a",{"$bytes":"AQI="}]""", (await Clients.ReceivedAsync("sh-s", "from-n")).GetProperty("args").GetRawText());
        Assert.Equal("""[{"k":{"$bytes":"Aw=="}}]""", (await Clients.ReceivedAsync("sh-n", "from-s1")).GetProperty("args").GetRawText());
        Assert.Equal("""[{"k":{"$bytes":"Aw=="}}]""", (await Clients.ReceivedAsync("sh-s", "from-s1")).GetProperty("args").GetRawText());
    }

    [Fact]
    public async Task Namespace_broadcasts_and_socket_targeted_emits_reach_every_server()
    {
        await Clients.ConnectAsync("all-n", cluster.N);
        var s = await Clients.ConnectAsync("all-s", cluster.S1);

        await cluster.N.RunOkAsync(Emit("everyone", [1]));
        await cluster.N.RunOkAsync(Emit("just-you", [2], rooms: [s]));
        await cluster.S2.RunOkAsync(Emit("everyone", [3]));

        await Clients.ReceivedAsync("all-s", "just-you");
        await Clients.WaitForAsync("all-s", "everyone", 1);
        await Clients.WaitForAsync("all-s", "everyone", 3);
        await Clients.WaitForAsync("all-n", "everyone", 3);
    }

    [Fact]
    public async Task FetchSockets_SocketsJoin_and_DisconnectSockets_work_both_ways()
    {
        var n = await Clients.ConnectAsync("f-n", cluster.N, user: "nick");
        var s = await Clients.ConnectAsync("f-s", cluster.S2, user: "sara");

        var fromSockeye = await cluster.S1.RunOkAsync(Fetch([n]));
        var fromNode = await cluster.N.RunOkAsync(Fetch([s]));
        Assert.Equal("nick", Assert.Single(fromSockeye.GetProperty("sockets").EnumerateArray()).Str("user"));
        Assert.Equal("S2", Assert.Single(fromNode.GetProperty("sockets").EnumerateArray()).GetProperty("data").Str("node"));

        await cluster.N.RunOkAsync(SocketsJoin([s], "sh-joined"));
        await cluster.S1.RunOkAsync(SocketsJoin([n], "sh-joined"));
        var joined = await cluster.S1.RunOkAsync(Fetch(["sh-joined"]));
        Assert.Equal(new[] { n, s }.Order(), joined.GetProperty("sockets").EnumerateArray().Select(x => x.Str("id")).Order());

        await cluster.S1.RunOkAsync(DisconnectSockets([n], close: false));
        await cluster.N.RunOkAsync(DisconnectSockets([s], close: false));
        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("f-n")).Str("reason"));
        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("f-s")).Str("reason"));
    }

    [Fact]
    public async Task ServerSideEmit_and_broadcast_acknowledgements_work_both_ways()
    {
        var fromNode = await cluster.N.RunOkAsync(ServerSideEmitWithAck("ask", "n?"));
        var fromSockeye = await cluster.S1.RunOkAsync(ServerSideEmitWithAck("ask", "s?"));
        Assert.Equal(["S1", "S2"], fromNode.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("node")).Order());
        Assert.Equal(["N", "S2"], fromSockeye.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("node")).Order());

        foreach (var (name, node) in new[] { ("ack-n", cluster.N), ("ack-s1", cluster.S1), ("ack-s2", cluster.S2) })
        {
            await Clients.ConnectAsync(name, node);
            await Clients.JoinAsync(name, "sh-ack");
        }

        var acksFromNode = await cluster.N.RunOkAsync(EmitWithAck("vote", ["x"], rooms: ["sh-ack"]));
        var acksFromSockeye = await cluster.S2.RunOkAsync(EmitWithAck("vote", [Bytes(5)], rooms: ["sh-ack"]));
        string[] expected = ["ack-n", "ack-s1", "ack-s2"];
        Assert.Equal(expected, acksFromNode.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("from")).Order());
        Assert.Equal(expected, acksFromSockeye.GetProperty("responses").EnumerateArray().Select(r => r[0].Str("from")).Order());
    }

    [Fact]
    public async Task A_room_channel_is_dropped_when_its_last_local_member_leaves()
    {
        await Clients.ConnectAsync("drop-s", cluster.S1);
        await Clients.JoinAsync("drop-s", "short-lived");
        await cluster.RoomSubscribedAsync("short-lived", 1);

        await cluster.S2.RunOkAsync(SocketsLeave(["short-lived"], "short-lived"));

        await cluster.RoomSubscribedAsync("short-lived", 0);
    }
}
