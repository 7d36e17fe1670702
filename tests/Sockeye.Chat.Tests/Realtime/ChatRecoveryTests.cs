using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Realtime;

/// <summary>Connection state recovery in the chat (one instance, the in-memory store), and sync when it fails.</summary>
public sealed class ChatRecoveryTests
{
    [Fact]
    public async Task A_client_whose_transport_dies_gets_its_socket_rooms_presence_and_the_messages_sent_meanwhile_back()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        var first = await clients.ConnectAsync("ada", await server.TokenAsync("ada"), reconnection: true);
        await clients.ConnectAsync("bob", await server.TokenAsync("bob"));
        await clients.EmitWithAckAsync("ada", "join_room", new { room = "rust" });
        await clients.EmitWithAckAsync("bob", "join_room", new { room = "rust" });
        var m1 = await clients.EmitWithAckAsync("bob", "chat_message", new { text = "one", room = "rust" });
        await clients.ReceivedAsync("ada", "new_message", args => args[0].GetProperty("id").GetInt64() == m1.GetProperty("id").GetInt64());

        var before = clients.Count;
        await clients.KillTransportAsync("ada");
        await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("disconnect") && l.GetProperty("name").ValueEquals("ada"), "ada to lose her transport", before);
        var m2 = await clients.EmitWithAckAsync("bob", "chat_message", new { text = "two", room = "rust" });
        var m3 = await clients.EmitWithAckAsync("bob", "chat_message", new { text = "three", room = "rust" });
        var again = await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("connected") && l.GetProperty("name").ValueEquals("ada"), "ada to reconnect", before);
        await clients.ReceivedAsync("ada", "new_message", args => args[0].GetProperty("id").GetInt64() == m3.GetProperty("id").GetInt64());

        Assert.True(again.GetProperty("recovered").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        var texts = Messages(clients, "ada", "rust").Select(m => m.GetProperty("text").GetString());
        Assert.Equal(["one", "two", "three"], texts);
        var who = await clients.EmitWithAckAsync("bob", "who", new { room = "rust" });
        Assert.Contains("ada", who.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        var posted = await clients.EmitWithAckAsync("ada", "chat_message", new { text = "back", room = "rust" });
        Assert.False(posted.TryGetProperty("error", out _), posted.ToString());
        Assert.Equal(m2.GetProperty("seq").GetInt64() + 1, m3.GetProperty("seq").GetInt64());
        Assert.Contains("recoveries", await MetricLineAsync(server, "sockeye_sockeye_recoveries", "outcome=\"recovered\""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_window_a_client_starts_afresh_and_sync_returns_what_it_missed_in_order()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["RECOVERY_WINDOW_MS"] = "400" });
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        var first = await clients.ConnectAsync("ada", await server.TokenAsync("ada"));
        await clients.ConnectAsync("bob", await server.TokenAsync("bob"));
        var m1 = await clients.EmitWithAckAsync("bob", "chat_message", new { text = "one" });
        await clients.ReceivedAsync("ada", "new_message", args => args[0].GetProperty("id").GetInt64() == m1.GetProperty("id").GetInt64());

        var before = clients.Count;
        await clients.KillTransportAsync("ada");
        await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("disconnect") && l.GetProperty("name").ValueEquals("ada"), "ada to lose her transport", before);
        var m2 = await clients.EmitWithAckAsync("bob", "chat_message", new { text = "two" });
        var m3 = await clients.EmitWithAckAsync("bob", "chat_message", new { text = "three" });
        await Task.Delay(TimeSpan.FromSeconds(1));
        var again = await clients.ReconnectAsync("ada");
        var sync = await clients.EmitWithAckAsync("ada", "sync", new { room = "chat", after = m1.GetProperty("seq").GetInt64() });

        Assert.False(again.GetProperty("recovered").GetBoolean());
        Assert.NotEqual(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(
            [m2.GetProperty("id").GetInt64(), m3.GetProperty("id").GetInt64()],
            sync.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(Messages(clients, "ada", "chat"), m => m.GetProperty("text").ValueEquals("two"));
        Assert.NotEmpty(await MetricLineAsync(server, "chat_sync_messages_total", string.Empty));
        Assert.NotEmpty(await MetricLineAsync(server, "sockeye_sockeye_recoveries", "outcome=\"unknown_session\""));
    }

    private static List<JsonElement> Messages(ChatClients clients, string name, string room) =>
        [.. clients.AllReceived(name, "new_message").Select(args => args[0]).Where(m => m.GetProperty("room").ValueEquals(room))];

    /// <summary>The first <c>/metrics</c> sample whose name starts with <paramref name="name"/> and that contains <paramref name="label"/>.</summary>
    private static async Task<string> MetricLineAsync(ChatServer server, string name, string label)
    {
        var text = await server.Http.GetStringAsync("/metrics");
        return text.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No {name} sample with {label} in:\n{string.Join('\n', text.Split('\n').Where(l => l.StartsWith("sockeye_", StringComparison.Ordinal) || l.StartsWith("chat_", StringComparison.Ordinal)))}");
    }
}
