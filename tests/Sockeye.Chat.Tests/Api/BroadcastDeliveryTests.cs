using System.Net;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Api;

/// <summary>The alert as the official socket.io-client receives it.</summary>
public sealed class BroadcastDeliveryTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ChatServer Server => fixture.Server;

    [Fact]
    public async Task Broadcast_reaches_every_socket_in_the_chat_room()
    {
        await using var clients = await ChatClients.StartAsync(Server.BaseAddress);
        Assert.True((await clients.ConnectAsync("alice", await Server.TokenAsync("alice"))).GetProperty("event").ValueEquals("connected"));
        Assert.True((await clients.ConnectAsync("bob", await Server.TokenAsync("bob"))).GetProperty("event").ValueEquals("connected"));

        using var response = await Server.PostJsonAsync("/api/broadcast", new { message = "server restart in 5 minutes" }, await Server.TokenAsync("admin"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        foreach (var name in new[] { "alice", "bob" })
        {
            var args = await clients.ReceivedAsync(name, "alert");
            Assert.Equal("server restart in 5 minutes", args[0].GetProperty("message").GetString());
            Assert.True(args[0].TryGetProperty("timestamp", out _));
        }
    }
}
