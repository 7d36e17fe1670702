using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Cluster;

public sealed partial class ChatClusterTests
{
    [Fact]
    public async Task A_user_on_two_instances_joins_once_and_leaves_only_when_the_last_connection_leaves()
    {
        const string Room = "presence";
        await using var clients = await ChatClients.StartAsync(cluster.A.BaseAddress);
        await clients.ConnectAsync("obs", await cluster.TokenAsync("obs"), url: cluster.C.BaseAddress);
        await clients.JoinAsync("obs", Room);
        var token = await cluster.TokenAsync("kim");

        await clients.ConnectAsync("kim-a", token, url: cluster.A.BaseAddress);
        await clients.JoinAsync("kim-a", Room);
        await clients.ReceivedAsync("obs", "user_joined", args => IsPresence(args, "kim", Room));
        await clients.ConnectAsync("kim-b", token, url: cluster.B.BaseAddress);
        await clients.JoinAsync("kim-b", Room);

        // Another user's arrival after kim's second connection: by then a second user_joined for kim would be in.
        await clients.ConnectAsync("lee", await cluster.TokenAsync("lee"), url: cluster.B.BaseAddress);
        await clients.JoinAsync("lee", Room);
        await clients.ReceivedAsync("obs", "user_joined", args => IsPresence(args, "lee", Room));
        Assert.Single(clients.AllReceived("obs", "user_joined"), args => IsPresence(args, "kim", Room));
        await AssertOnlineEverywhereAsync(clients, "obs", Room, ["kim", "lee", "obs"]);

        // kim's connection on A goes; the one on B stays.
        await clients.DisconnectAsync("kim-a");
        await clients.EmitWithAckAsync("lee", "leave_room", new { room = Room });
        await clients.ReceivedAsync("obs", "user_left", args => IsPresence(args, "lee", Room));
        Assert.DoesNotContain(clients.AllReceived("obs", "user_left"), args => IsPresence(args, "kim", Room));
        await AssertOnlineEverywhereAsync(clients, "obs", Room, ["kim", "obs"]);

        await clients.EmitWithAckAsync("kim-b", "leave_room", new { room = Room });
        await clients.ReceivedAsync("obs", "user_left", args => IsPresence(args, "kim", Room));
        Assert.Single(clients.AllReceived("obs", "user_left"), args => IsPresence(args, "kim", Room));
        await AssertOnlineEverywhereAsync(clients, "obs", Room, ["obs"]);
    }

    private static bool IsPresence(JsonElement args, string userId, string room) =>
        args[0].GetProperty("user_id").ValueEquals(userId) && args[0].GetProperty("room").ValueEquals(room);

    /// <summary><c>who</c> from a client and <c>GET /api/rooms/{room}/presence</c> from every instance agree.</summary>
    private async Task AssertOnlineEverywhereAsync(ChatClients clients, string name, string room, string[] expected)
    {
        var who = await clients.EmitWithAckAsync(name, "who", new { room });
        Assert.Equal(expected, who.GetProperty("users").EnumerateArray().Select(u => u.GetString()!));
        var token = await cluster.TokenAsync("auditor");
        foreach (var instance in cluster.Instances)
        {
            var presence = await instance.GetJsonAsync($"/api/rooms/{room}/presence", token);
            Assert.Equal(expected, presence.GetProperty("users").EnumerateArray().Select(u => u.GetString()!));
        }
    }
}
