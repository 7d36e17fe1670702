using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Realtime;

public sealed class ChatRoomTests
{
    [Fact]
    public async Task Joining_a_room_is_acked_announced_and_lets_the_user_post_there()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));
        await clients.ConnectAsync("bob", await server.TokenAsync("bob"));
        await clients.EmitWithAckAsync("bob", "join_room", new { room = "rust" });

        var joined = await clients.EmitWithAckAsync("ada", "join_room", new { room = "rust" });
        Assert.True(joined.GetProperty("ok").GetBoolean());
        var announced = await clients.ReceivedAsync("bob", "user_joined", args => args[0].GetProperty("room").ValueEquals("rust"));
        Assert.Equal("ada", announced[0].GetProperty("user_id").GetString());

        var posted = await clients.EmitWithAckAsync("ada", "chat_message", new { text = "in rust", room = "rust" });
        Assert.Equal("rust", posted.GetProperty("room").GetString());
        var received = await clients.ReceivedAsync("bob", "new_message", args => args[0].GetProperty("room").ValueEquals("rust"));
        Assert.Equal("in rust", received[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("x\u0000y")]
    public async Task Invalid_room_names_are_refused(string room)
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));

        var ack = await clients.EmitWithAckAsync("ada", "join_room", new { room });

        Assert.Equal("room", ack.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Room_names_longer_than_64_characters_are_refused()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));

        var ack = await clients.EmitWithAckAsync("ada", "join_room", new { room = new string('r', 65) });

        Assert.Equal("INVALID_PAYLOAD", ack.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Presence_counts_users_not_connections()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("observer", await server.TokenAsync("observer"));
        var token = await server.TokenAsync("ada");

        await clients.ConnectAsync("tab1", token);
        await clients.ReceivedAsync("observer", "user_joined", args => args[0].GetProperty("user_id").ValueEquals("ada"));
        await clients.ConnectAsync("tab2", token);

        var who = await clients.EmitWithAckAsync("observer", "who", new { room = "chat" });
        Assert.Equal(["ada", "observer"], who.GetProperty("users").EnumerateArray().Select(u => u.GetString()!));

        await clients.DisconnectAsync("tab1");
        await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("disconnect") && l.GetProperty("name").ValueEquals("tab1"), "tab1 to disconnect");
        var stillThere = await clients.EmitWithAckAsync("observer", "who", new { room = "chat" });
        Assert.Contains("ada", stillThere.GetProperty("users").EnumerateArray().Select(u => u.GetString()!));

        await clients.DisconnectAsync("tab2");
        var left = await clients.ReceivedAsync("observer", "user_left");
        Assert.Equal("ada", left[0].GetProperty("user_id").GetString());
        Assert.Single(clients.AllReceived("observer", "user_joined"), args => args[0].GetProperty("user_id").ValueEquals("ada"));
        Assert.Single(clients.AllReceived("observer", "user_left"));
    }

    [Fact]
    public async Task Leaving_a_room_announces_user_left_to_its_members()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));
        await clients.ConnectAsync("bob", await server.TokenAsync("bob"));

        await clients.EmitWithAckAsync("ada", "leave_room", new { room = "chat" });

        var left = await clients.ReceivedAsync("bob", "user_left");
        Assert.Equal("ada", left[0].GetProperty("user_id").GetString());
        var posted = await clients.EmitWithAckAsync("ada", "chat_message", new { text = "not a member" });
        Assert.Equal("room", posted.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task History_pages_newest_first_and_sync_returns_what_came_after_a_sequence()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_BURST"] = "100" });
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        await clients.ConnectAsync("ada", await server.TokenAsync("ada"));
        for (var i = 1; i <= 5; i++)
        {
            await clients.EmitWithAckAsync("ada", "chat_message", new { text = $"m{i}" });
        }

        var page1 = await clients.EmitWithAckAsync("ada", "history", new { room = "chat", limit = 2 });
        var texts1 = page1.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(["m5", "m4"], texts1);
        var oldest = page1.GetProperty("messages")[1].GetProperty("id").GetInt64();
        var page2 = await clients.EmitWithAckAsync("ada", "history", new { room = "chat", before = oldest, limit = 2 });
        Assert.Equal(["m3", "m2"], page2.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!));

        var sync = await clients.EmitWithAckAsync("ada", "sync", new { room = "chat", after = 3 });
        Assert.Equal([4L, 5L], sync.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));

        var badLimit = await clients.EmitWithAckAsync("ada", "history", new { room = "chat", limit = 101 });
        Assert.Equal("limit", badLimit.GetProperty("error").GetProperty("field").GetString());
    }
}
