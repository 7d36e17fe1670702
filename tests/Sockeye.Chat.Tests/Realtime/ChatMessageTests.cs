using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Realtime;

public sealed class ChatMessageTests
{
    [Fact]
    public async Task A_message_is_stored_acked_with_the_stored_record_and_broadcast_to_the_room_but_not_the_sender()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));
        await clients.ConnectAsync("bob", await server.TokenAsync("bob"));
        var messageId = Guid.NewGuid();

        var ack = await clients.EmitWithAckAsync("ada", "chat_message", new { text = "  hello world  ", message_id = messageId });

        Assert.True(ack.GetProperty("id").GetInt64() > 0);
        Assert.Equal(messageId, ack.GetProperty("message_id").GetGuid());
        Assert.Equal("ada", ack.GetProperty("user_id").GetString());
        Assert.Equal("chat", ack.GetProperty("room").GetString());
        Assert.Equal("hello world", ack.GetProperty("text").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.True(ack.GetProperty("timestamp").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));

        var broadcast = await clients.ReceivedAsync("bob", "new_message");
        Assert.Equal(ack.GetRawText(), broadcast[0].GetRawText());
        var stored = await server.Store.GetHistoryAsync("chat", null, 10, CancellationToken.None);
        Assert.Equal("hello world", Assert.Single(stored).Text);

        // A marker through ada's own socket proves nothing else was queued for her before it.
        await clients.EmitWithAckAsync("ada", "who", new { room = "chat" });
        Assert.Empty(clients.AllReceived("ada", "new_message"));
    }

    [Theory]
    [InlineData("{\"text\":\"\"}", "text")]
    [InlineData("{\"text\":\"   \"}", "text")]
    [InlineData("{\"text\":42}", "text")]
    [InlineData("{}", "text")]
    [InlineData("\"just a string\"", "payload")]
    [InlineData("{\"text\":\"hi\",\"message_id\":\"not-a-uuid\"}", "message_id")]
    [InlineData("{\"text\":\"hi\",\"room\":\"no spaces allowed\"}", "room")]
    [InlineData("{\"text\":\"hi\",\"room\":\"elsewhere\"}", "room")]
    public async Task Invalid_payloads_get_an_error_event_and_an_error_ack_and_nothing_is_stored(string payload, string field)
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));

        var ack = await clients.EmitWithAckAsync("ada", "chat_message", JsonDocument.Parse(payload).RootElement);

        var error = ack.GetProperty("error");
        Assert.Equal("INVALID_PAYLOAD", error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        var evt = await clients.ReceivedAsync("ada", "error");
        Assert.Equal("INVALID_PAYLOAD", evt[0].GetProperty("code").GetString());
        Assert.Empty(await server.Store.GetHistoryAsync("chat", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Text_of_exactly_4000_characters_is_accepted_and_4001_refused()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));

        var ok = await clients.EmitWithAckAsync("ada", "chat_message", new { text = new string('x', 4000) });
        var tooLong = await clients.EmitWithAckAsync("ada", "chat_message", new { text = new string('x', 4001) });

        Assert.Equal(4000, ok.GetProperty("text").GetString()!.Length);
        Assert.Equal("text", tooLong.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_retried_message_id_is_acked_with_the_original_and_neither_stored_nor_broadcast_again_even_across_a_reconnect()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"), reconnection: true);
        await clients.ConnectAsync("bob", await server.TokenAsync("bob"));
        var messageId = Guid.NewGuid();

        var first = await clients.EmitWithAckAsync("ada", "chat_message", new { text = "once", message_id = messageId });
        var mark = clients.Count;
        await clients.KillTransportAsync("ada");
        await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("connected") && l.GetProperty("name").ValueEquals("ada"), "ada to reconnect", mark);
        var retry = await clients.EmitWithAckAsync("ada", "chat_message", new { text = "once", message_id = messageId });

        Assert.Equal(first.GetRawText(), retry.GetRawText());
        Assert.Single(await server.Store.GetHistoryAsync("chat", null, 10, CancellationToken.None));
        await clients.EmitWithAckAsync("bob", "who", new { room = "chat" });
        Assert.Single(clients.AllReceived("bob", "new_message"));
    }

    [Fact]
    public async Task Messages_of_one_connection_are_stored_in_the_order_sent()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_BURST"] = "100", ["RATE_LIMIT_PER_SECOND"] = "100" });
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));

        for (var i = 0; i < 20; i++)
        {
            await clients.EmitAsync("ada", "chat_message", new { text = $"m{i}" });
        }

        await clients.EmitWithAckAsync("ada", "chat_message", new { text = "last" });
        var stored = (await server.Store.GetAfterAsync("chat", 0, 100, CancellationToken.None)).Select(m => m.Text).ToArray();
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"m{i}"), "last"], stored);
    }

    [Fact]
    public async Task Excess_messages_are_rate_limited_with_a_retry_hint_and_accepted_again_after_it()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_BURST"] = "3", ["RATE_LIMIT_PER_SECOND"] = "2" });
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await clients.EmitWithAckAsync("ada", "chat_message", new { text = $"ok {i}" })).TryGetProperty("id", out _));
        }

        var limited = (await clients.EmitWithAckAsync("ada", "chat_message", new { text = "too fast" })).GetProperty("error");
        Assert.Equal("RATE_LIMITED", limited.GetProperty("code").GetString());
        var retryAfter = limited.GetProperty("retry_after_ms").GetInt32();
        Assert.InRange(retryAfter, 1, 1000);
        Assert.Equal(3, (await server.Store.GetHistoryAsync("chat", null, 10, CancellationToken.None)).Count);

        // The limit is about time: waiting the advertised interval is the behaviour under test.
        await Task.Delay(retryAfter + 50);
        Assert.True((await clients.EmitWithAckAsync("ada", "chat_message", new { text = "after the window" })).TryGetProperty("id", out _));
    }
}
