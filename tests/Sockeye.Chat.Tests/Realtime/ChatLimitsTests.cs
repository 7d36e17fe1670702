using System.Net;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Realtime;

public sealed class ChatLimitsTests
{
    [Fact]
    public async Task A_user_beyond_the_connection_limit_is_refused_with_CONNECTION_LIMIT()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["MAX_CONNECTIONS_PER_USER"] = "2" });
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        var token = await server.TokenAsync("ada");

        Assert.Equal("connected", (await clients.ConnectAsync("one", token)).GetProperty("event").GetString());
        Assert.Equal("connected", (await clients.ConnectAsync("two", token)).GetProperty("event").GetString());
        var third = await clients.ConnectAsync("three", token);

        Assert.Equal("connect_error", third.GetProperty("event").GetString());
        Assert.Equal("CONNECTION_LIMIT", third.GetProperty("data").GetProperty("code").GetString());

        await clients.DisconnectAsync("one");
        await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("disconnect") && l.GetProperty("name").ValueEquals("one"), "one to disconnect");
        await Eventually(async () => (await clients.ConnectAsync($"again-{Guid.NewGuid():N}", token)).GetProperty("event").ValueEquals("connected"));
    }

    [Fact]
    public async Task Handshakes_beyond_the_per_address_rate_are_refused()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["HANDSHAKES_PER_IP_PER_SECOND"] = "3" });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await server.Http.GetAsync("/socket.io/?EIO=4&transport=polling");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Contains(HttpStatusCode.Forbidden, statuses);
    }

    private static async Task Eventually(Func<Task<bool>> attempt)
    {
        // The server releases the slot when it sees the disconnect, a moment after the client does.
        for (var i = 0; i < 50; i++)
        {
            if (await attempt())
            {
                return;
            }
        }

        Assert.Fail("the connection slot was never released");
    }
}
