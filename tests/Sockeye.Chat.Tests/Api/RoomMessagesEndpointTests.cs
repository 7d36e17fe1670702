using System.Net;
using System.Text.Json;
using Sockeye.Chat.Messages;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Api;

public sealed class RoomMessagesEndpointTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ChatServer Server => fixture.Server;

    private static string NewRoom() => $"room-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task History_without_a_token_is_a_401_problem_with_a_bearer_challenge()
    {
        using var response = await Server.GetAsync("/api/rooms/chat/messages", token: null);

        await response.ProblemAsync(401);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task History_with_a_token_signed_by_another_key_is_401()
    {
        await using var other = await ChatServer.StartAsync();
        var foreign = await other.TokenAsync("mallory");

        using var response = await Server.GetAsync("/api/rooms/chat/messages", foreign);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task History_returns_the_stored_records_newest_first_in_the_socket_event_shape()
    {
        var room = NewRoom();
        var messageId = Guid.NewGuid();
        var first = (await Server.Store.SaveAsync("alice", room, "first", messageId, CancellationToken.None)).Record;
        var second = (await Server.Store.SaveAsync("bob", room, "second", null, CancellationToken.None)).Record;

        using var response = await Server.GetAsync($"/api/rooms/{room}/messages", await Server.TokenAsync("carol"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await response.JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(2, page.Count);
        Assert.Equal(
            ["id", "message_id", "user_id", "room", "text", "timestamp", "seq"],
            page[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal(second.Id, page[0].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, page[0].GetProperty("message_id").ValueKind);
        Assert.Equal(first, Read(page[1]));
    }

    [Fact]
    public async Task History_pages_with_before_and_limit()
    {
        var room = NewRoom();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Server.Store.SaveAsync("alice", room, $"m{i}", null, CancellationToken.None)).Record.Id);
        }

        var token = await Server.TokenAsync("alice");
        using var first = await Server.GetAsync($"/api/rooms/{room}/messages?limit=2", token);
        var firstIds = (await first.JsonAsync()).EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
        using var next = await Server.GetAsync($"/api/rooms/{room}/messages?limit=2&before={firstIds[^1]}", token);
        var nextIds = (await next.JsonAsync()).EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();

        Assert.Equal([ids[4], ids[3]], firstIds);
        Assert.Equal([ids[2], ids[1]], nextIds);
    }

    [Theory]
    [InlineData("/api/rooms/bad%20room/messages", "room")]
    [InlineData("/api/rooms/a-room-name-that-is-longer-than-sixty-four-characters-and-so-is-refused/messages", "room")]
    [InlineData("/api/rooms/chat/messages?limit=0", "limit")]
    [InlineData("/api/rooms/chat/messages?limit=101", "limit")]
    [InlineData("/api/rooms/chat/messages?before=0", "before")]
    public async Task Invalid_parameters_are_a_validation_problem_naming_the_field(string path, string field)
    {
        using var response = await Server.GetAsync(path, await Server.TokenAsync("alice"));

        var problem = await response.ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_non_numeric_limit_is_a_400_problem()
    {
        using var response = await Server.GetAsync("/api/rooms/chat/messages?limit=many", await Server.TokenAsync("alice"));

        await response.ProblemAsync(400);
    }

    private static ChatMessageRecord Read(JsonElement json) => new(
        json.GetProperty("id").GetInt64(),
        json.GetProperty("message_id").ValueKind == JsonValueKind.Null ? null : json.GetProperty("message_id").GetGuid(),
        json.GetProperty("user_id").GetString()!,
        json.GetProperty("room").GetString()!,
        json.GetProperty("text").GetString()!,
        json.GetProperty("timestamp").GetDateTimeOffset(),
        json.GetProperty("seq").GetInt64());
}
