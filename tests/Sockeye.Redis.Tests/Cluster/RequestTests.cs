using System.Text.Json;
using System.Text.Json.Nodes;
using Sockeye.Redis.Tests.Infrastructure;
using static Sockeye.Redis.Tests.Infrastructure.Commands;

namespace Sockeye.Redis.Tests.Cluster;

/// <summary>Cluster requests between three Sockeye servers: fetch, join, leave, disconnect, rooms, server-side emits.</summary>
public sealed class RequestTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private Clients Clients => cluster.Clients;

    [Fact]
    public async Task Every_server_counts_three_servers()
    {
        foreach (var node in new[] { cluster.A, cluster.B, cluster.C })
        {
            var result = await node.RunOkAsync(ServerCount());
            Assert.Equal(3, result.GetProperty("count").GetInt32());
        }
    }

    [Fact]
    public async Task FetchSockets_sees_the_sockets_of_every_server_with_their_rooms_data_and_handshake()
    {
        var a = await Clients.ConnectAsync("fetch-a", cluster.A, user: "ann");
        var b = await Clients.ConnectAsync("fetch-b", cluster.B, user: "bob");
        var c = await Clients.ConnectAsync("fetch-c", cluster.C, user: "cid");
        foreach (var name in new[] { "fetch-a", "fetch-b", "fetch-c" })
        {
            await Clients.JoinAsync(name, "fetched");
        }

        var result = await cluster.A.RunOkAsync(Fetch(["fetched"]));

        var sockets = result.GetProperty("sockets").EnumerateArray().ToDictionary(s => s.Str("id")!);
        Assert.Equal(new[] { a, b, c }.Order(), sockets.Keys.Order());
        Assert.True(sockets[a].GetProperty("local").GetBoolean());
        Assert.False(sockets[b].GetProperty("local").GetBoolean());
        Assert.Equal("bob", sockets[b].Str("user"));
        Assert.Equal("B", sockets[b].GetProperty("data").Str("node"));
        Assert.Equal("bob", sockets[b].GetProperty("data").Str("user"));
        Assert.Equal(new[] { c, "fetched" }.Order(), sockets[c].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.StartsWith("/socket.io/?", sockets[c].Str("url"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocketsJoin_and_SocketsLeave_from_one_server_move_sockets_of_the_others()
    {
        var a = await Clients.ConnectAsync("join-a", cluster.A);
        await Clients.ConnectAsync("join-c", cluster.C);
        await Clients.JoinAsync("join-a", "joiners");
        await Clients.JoinAsync("join-c", "joiners");

        await cluster.B.RunOkAsync(SocketsJoin(["joiners"], "vip"));
        var joined = await cluster.B.RunOkAsync(Fetch(["vip"]));
        Assert.Equal(2, joined.GetProperty("sockets").GetArrayLength());

        await cluster.B.RunOkAsync(SocketsLeave([a], "vip"));
        var left = await cluster.C.RunOkAsync(Fetch(["vip"]));
        Assert.Equal(["join-c"], left.GetProperty("sockets").EnumerateArray().Select(_ => "join-c"));
        Assert.DoesNotContain(left.GetProperty("sockets").EnumerateArray(), s => s.Str("id") == a);
    }

    [Fact]
    public async Task DisconnectSockets_from_one_server_disconnects_sockets_of_the_others()
    {
        await Clients.ConnectAsync("kick-b", cluster.B);
        await Clients.ConnectAsync("kick-c", cluster.C);
        await Clients.JoinAsync("kick-b", "kicked");
        await Clients.JoinAsync("kick-c", "kicked");

        await cluster.A.RunOkAsync(DisconnectSockets(["kicked"], close: false));

        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("kick-b")).Str("reason"));
        Assert.Equal("io server disconnect", (await Clients.DisconnectedAsync("kick-c")).Str("reason"));
    }

    [Fact]
    public async Task AllRooms_lists_the_rooms_of_every_server()
    {
        await Clients.ConnectAsync("rooms-a", cluster.A);
        await Clients.ConnectAsync("rooms-c", cluster.C);
        await Clients.JoinAsync("rooms-a", "only-on-a");
        await Clients.JoinAsync("rooms-c", "only-on-c");

        var result = await cluster.B.RunOkAsync(AllRooms());

        var rooms = result.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()).ToHashSet();
        Assert.Contains("only-on-a", rooms);
        Assert.Contains("only-on-c", rooms);
    }

    [Fact]
    public async Task ServerSideEmit_reaches_the_handlers_of_the_other_servers_only()
    {
        var marker = Guid.NewGuid().ToString("N");

        await cluster.A.RunOkAsync(ServerSideEmit("hello", marker, Bytes(1, 2)));

        foreach (var node in new[] { cluster.B, cluster.C })
        {
            var line = await node.Process.WaitForAsync(l => l.Event() == "server-side" && l.GetProperty("args")[0].GetString() == marker, "server-side hello");
            Assert.False(line.GetProperty("hasAck").GetBoolean());
            Assert.Equal("hello", line.Str("name"));
        }

        Assert.Empty(cluster.A.Process.Lines(l => l.Event() == "server-side" && l.GetProperty("args")[0].GetString() == marker));
    }

    [Fact]
    public async Task ServerSideEmitWithAck_collects_one_answer_from_each_other_server()
    {
        var result = await cluster.C.RunOkAsync(ServerSideEmitWithAck("ask", "question"));

        var answers = result.GetProperty("responses").EnumerateArray().Select(r => r[0]).ToList();
        Assert.Equal(["A", "B"], answers.Select(a => a.Str("node")).Order());
        Assert.All(answers, a => Assert.Equal("question", a.Str("got")));
    }

    [Fact]
    public async Task Operations_on_a_namespace_stay_in_that_namespace()
    {
        await Clients.ConnectAsync("nsp-main", cluster.A);
        await Clients.ConnectAsync("nsp-other", cluster.A, nsp: "/other");
        await Clients.JoinAsync("nsp-other", "shared-name");
        await Clients.JoinAsync("nsp-main", "shared-name");

        var other = await cluster.B.RunOkAsync(Fetch(["shared-name"], nsp: "/other"));

        Assert.Single(other.GetProperty("sockets").EnumerateArray());
    }
}
