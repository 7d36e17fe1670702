using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Server;

public sealed class BroadcastOperatorTests
{
    [Fact]
    public async Task Operators_are_immutable_and_reusable()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { });
        var io = host.Io();
        var (a, idA) = await RawSocketIOClient.ConnectAsync(host);
        var (b, idB) = await RawSocketIOClient.ConnectAsync(host);
        await using var _a = a;
        await using var _b = b;
        io.Sockets.Sockets[idA].Join("room");

        var room = io.To("room");
        var narrowed = room.Except(idA);
        await room.EmitAsync("to-room");
        await narrowed.EmitAsync("to-nobody");
        await io.EmitAsync("to-all");

        Assert.Equal("2[\"to-room\"]", await a.ReceiveAsync());
        Assert.Equal("2[\"to-all\"]", await a.ReceiveAsync());
        Assert.Equal("2[\"to-all\"]", await b.ReceiveAsync());
    }

    [Fact]
    public async Task A_socket_in_several_targeted_rooms_receives_once()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { });
        var io = host.Io();
        var (a, idA) = await RawSocketIOClient.ConnectAsync(host);
        await using var _a = a;
        io.Sockets.Sockets[idA].Join(["x", "y"]);

        await io.To("x").To("y").EmitAsync("once");
        await io.EmitAsync("marker");

        Assert.Equal("2[\"once\"]", await a.ReceiveAsync());
        Assert.Equal("2[\"marker\"]", await a.ReceiveAsync());
    }

    [Fact]
    public async Task Broadcast_with_ack_collects_one_answer_per_recipient_with_one_shared_id()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { });
        var io = host.Io();
        var (a, _) = await RawSocketIOClient.ConnectAsync(host);
        var (b, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _a = a;
        await using var _b = b;

        var pending = io.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("vote");
        var toA = await a.ReceiveAsync();
        var toB = await b.ReceiveAsync();
        Assert.Equal(toA, toB);
        var id = toA[1..toA.IndexOf('[', StringComparison.Ordinal)];
        await a.SendAsync($"3{id}[\"yes\"]");
        await b.SendAsync($"3{id}[\"no\"]");

        var answers = await pending;
        Assert.Equal(new[] { "no", "yes" }, answers.Select(r => r.GetArg<string>(0)).Order());
    }

    [Fact]
    public async Task Broadcast_with_ack_times_out_with_the_answers_received()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { });
        var io = host.Io();
        var (a, _) = await RawSocketIOClient.ConnectAsync(host);
        var (b, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _a = a;
        await using var _b = b;

        var pending = io.Timeout(TimeSpan.FromMilliseconds(300)).EmitWithAckAsync("vote");
        var toA = await a.ReceiveAsync();
        await a.SendAsync($"3{toA[1..toA.IndexOf('[', StringComparison.Ordinal)]}[\"yes\"]");

        var error = await Assert.ThrowsAsync<AckTimeoutException>(() => pending);
        Assert.Equal("vote", error.EventName);
        Assert.Equal("yes", Assert.Single(error.Responses).GetArg<string>(0));
    }

    [Fact]
    public async Task FetchSockets_SocketsJoin_SocketsLeave_and_DisconnectSockets_act_on_the_matching_sockets()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { });
        var io = host.Io();
        var (a, idA) = await RawSocketIOClient.ConnectAsync(host);
        var (b, idB) = await RawSocketIOClient.ConnectAsync(host);
        await using var _a = a;
        await using var _b = b;
        io.Sockets.Sockets[idA].Join("vip");
        io.Sockets.Sockets[idA].Data["name"] = "Ada";

        var vips = await io.In("vip").FetchSocketsAsync();
        var vip = Assert.Single(vips);
        Assert.Equal(idA, vip.Id);
        Assert.Equal("Ada", vip.Data["name"]);
        Assert.Contains("vip", vip.Rooms);

        await io.Except("vip").SocketsJoinAsync("others");
        Assert.Contains("others", io.Sockets.Sockets[idB].Rooms);
        Assert.DoesNotContain("others", io.Sockets.Sockets[idA].Rooms);

        await io.In("vip").SocketsLeaveAsync("vip");
        Assert.Empty(await io.In("vip").FetchSocketsAsync());

        await io.In("others").DisconnectSocketsAsync();
        Assert.Equal("1", await b.ReceiveAsync());
        Assert.False(io.Sockets.Sockets.ContainsKey(idB));
        Assert.True(io.Sockets.Sockets.ContainsKey(idA));
    }
}
