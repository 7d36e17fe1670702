using System.Text.Json;
using System.Text.Json.Nodes;
using Sockeye.Redis.Tests.Infrastructure;
using static Sockeye.Redis.Tests.Infrastructure.Commands;

namespace Sockeye.Redis.Tests.Cluster;

/// <summary>Broadcasts between three Sockeye servers in separate processes, seen by the real socket.io-client.</summary>
public sealed class BroadcastTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private Clients Clients => cluster.Clients;

    [Fact]
    public async Task Clients_on_A_and_B_receive_a_room_broadcast_from_C_and_others_do_not()
    {
        await Clients.ConnectAsync("room-a1", cluster.A);
        await Clients.ConnectAsync("room-b1", cluster.B);
        await Clients.ConnectAsync("room-c1", cluster.C);
        await Clients.ConnectAsync("room-a2", cluster.A);
        await Clients.JoinAsync("room-a1", "news");
        await Clients.JoinAsync("room-b1", "news");
        await Clients.JoinAsync("room-c1", "news");

        await cluster.C.RunOkAsync(Emit("headline", ["rain", 42, new JsonObject { ["deep"] = new JsonArray(1.5, null, true) }], rooms: ["news"]));
        await FenceAsync(cluster.C, "room-a2");

        foreach (var name in new[] { "room-a1", "room-b1", "room-c1" })
        {
            var received = await Clients.ReceivedAsync(name, "headline");
            Assert.Equal("""["rain",42,{"deep":[1.5,null,true]}]""", received.GetProperty("args").GetRawText());
        }

        Assert.Empty(Clients.Received("room-a2", "headline"));
    }

    [Fact]
    public async Task Binary_arguments_cross_servers_as_binary()
    {
        await Clients.ConnectAsync("bin-a", cluster.A);
        await Clients.JoinAsync("bin-a", "files");

        await cluster.B.RunOkAsync(Emit("file", [Bytes(1, 2, 3), new JsonObject { ["name"] = "x", ["content"] = Bytes(255) }], rooms: ["files"]));

        var received = await Clients.ReceivedAsync("bin-a", "file");
        Assert.Equal("""[{"$bytes":"AQID"},{"name":"x","content":{"$bytes":"/w=="}}]""", received.GetProperty("args").GetRawText());
    }

    [Fact]
    public async Task A_broadcast_to_everyone_with_except_skips_the_excluded_room_on_every_server()
    {
        await Clients.ConnectAsync("all-a", cluster.A);
        await Clients.ConnectAsync("all-b", cluster.B);
        await Clients.ConnectAsync("all-c", cluster.C);
        await Clients.JoinAsync("all-b", "muted");

        await cluster.A.RunOkAsync(Emit("announce", ["hi"], except: ["muted"]));
        await FenceAsync(cluster.A, "all-b");

        await Clients.ReceivedAsync("all-a", "announce");
        await Clients.ReceivedAsync("all-c", "announce");
        Assert.Empty(Clients.Received("all-b", "announce"));
    }

    [Fact]
    public async Task Several_rooms_reach_each_member_once()
    {
        await Clients.ConnectAsync("multi-b", cluster.B);
        await Clients.JoinAsync("multi-b", "r1");
        await Clients.JoinAsync("multi-b", "r2");

        await cluster.C.RunOkAsync(Emit("twice", ["x"], rooms: ["r1", "r2"]));
        await FenceAsync(cluster.C, "multi-b");

        Assert.Single(Clients.Received("multi-b", "twice"));
    }

    [Fact]
    public async Task A_client_event_broadcast_to_a_room_reaches_members_on_other_servers_but_not_the_sender()
    {
        await Clients.ConnectAsync("chat-a", cluster.A);
        await Clients.ConnectAsync("chat-c", cluster.C);
        await Clients.JoinAsync("chat-a", "chat");
        await Clients.JoinAsync("chat-c", "chat");

        await Clients.EmitAsync("chat-a", "publish", "chat", "message", "hello from A");
        await FenceAsync(cluster.A, "chat-a");

        var received = await Clients.ReceivedAsync("chat-c", "message");
        Assert.Equal("""["hello from A"]""", received.GetProperty("args").GetRawText());
        Assert.Empty(Clients.Received("chat-a", "message"));
    }

    [Fact]
    public async Task A_local_broadcast_stays_on_its_server()
    {
        await Clients.ConnectAsync("local-a", cluster.A);
        await Clients.ConnectAsync("local-b", cluster.B);

        await cluster.A.RunOkAsync(Emit("only-here", [1], local: true));
        await FenceAsync(cluster.A, "local-b");

        await Clients.ReceivedAsync("local-a", "only-here");
        Assert.Empty(Clients.Received("local-b", "only-here"));
    }

    [Fact]
    public async Task Acknowledgements_of_a_broadcast_are_collected_from_clients_on_every_server()
    {
        await Clients.ConnectAsync("ack-a", cluster.A);
        await Clients.ConnectAsync("ack-b", cluster.B);
        await Clients.ConnectAsync("ack-c", cluster.C);
        foreach (var name in new[] { "ack-a", "ack-b", "ack-c" })
        {
            await Clients.JoinAsync(name, "poll");
        }

        var result = await cluster.B.RunOkAsync(EmitWithAck("vote", ["q1"], rooms: ["poll"]));

        var from = result.GetProperty("responses").EnumerateArray().Select(r => r[0].GetProperty("from").GetString()).Order();
        Assert.Equal(["ack-a", "ack-b", "ack-c"], from);
        Assert.All(result.GetProperty("responses").EnumerateArray(), r => Assert.Equal("q1", r[0].GetProperty("got").GetString()));
    }

    /// <summary>
    /// Broadcasts a marker from <paramref name="node"/> to everyone and waits for <paramref name="client"/> to get it:
    /// anything that server published before has then been delivered (Redis and each server keep the order).
    /// </summary>
    private async Task FenceAsync(ClusterNode node, string client)
    {
        var marker = Guid.NewGuid().ToString("N");
        await node.RunOkAsync(Emit("fence", [marker]));
        await Clients.WaitForFenceAsync(client, marker);
    }
}
