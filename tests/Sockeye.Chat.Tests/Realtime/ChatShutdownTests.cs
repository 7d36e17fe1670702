using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Realtime;

public sealed class ChatShutdownTests
{
    [Fact]
    public async Task Every_message_acknowledged_before_shutdown_is_in_the_database_afterwards()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_BURST"] = "1000", ["RATE_LIMIT_PER_SECOND"] = "1000" });
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));
        await clients.ConnectAsync("bob", await server.TokenAsync("bob"));

        var sends = new List<Task<System.Text.Json.JsonElement>>();
        for (var i = 0; i < 40; i++)
        {
            var name = i % 2 == 0 ? "ada" : "bob";
            sends.Add(TryAckAsync(clients, name, new { text = $"in flight {i}", message_id = Guid.NewGuid() }));
        }

        // Stop while the stream is under way: the first acknowledgement shows the server is handling it.
        await Task.WhenAny(sends);
        await server.StopAsync();
        var acked = (await Task.WhenAll(sends)).Where(a => a.ValueKind == System.Text.Json.JsonValueKind.Object && a.TryGetProperty("id", out _)).ToArray();

        var stored = await server.Store.GetAfterAsync("chat", 0, 100, CancellationToken.None);
        var storedIds = stored.Select(m => m.Id).ToHashSet();
        Assert.All(acked, a => Assert.Contains(a.GetProperty("id").GetInt64(), storedIds));
        Assert.NotEmpty(acked);
    }

    private static async Task<System.Text.Json.JsonElement> TryAckAsync(ChatClients clients, string name, object payload)
    {
        try
        {
            return await clients.EmitWithAckAsync(name, "chat_message", payload);
        }
        catch (Xunit.Sdk.XunitException)
        {
            // Not acknowledged (the connection closed first): the client would retry; nothing to check.
            return default;
        }
    }
}
