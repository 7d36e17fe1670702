using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Chat.Realtime;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Api;

public sealed class PresenceEndpointTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ChatServer Server => fixture.Server;

    [Fact]
    public async Task Presence_lists_the_users_online_in_the_room_once_each_sorted()
    {
        var presence = Server.Services.GetRequiredService<PresenceTracker>();
        presence.Join("lobby", "zoe");
        presence.Join("lobby", "adam");
        presence.Join("lobby", "zoe");
        presence.Join("elsewhere", "eve");

        using var response = await Server.GetAsync("/api/rooms/lobby/presence", await Server.TokenAsync("adam"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("lobby", body.GetProperty("room").GetString());
        Assert.Equal(["adam", "zoe"], body.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Presence_of_an_empty_room_is_an_empty_list()
    {
        using var response = await Server.GetAsync("/api/rooms/nobody-here/presence", await Server.TokenAsync("adam"));

        Assert.Empty((await response.JsonAsync()).GetProperty("users").EnumerateArray());
    }

    [Fact]
    public async Task Presence_without_a_token_is_401()
    {
        using var response = await Server.GetAsync("/api/rooms/lobby/presence", token: null);

        await response.ProblemAsync(401);
    }

    [Fact]
    public async Task Presence_of_an_invalid_room_name_is_a_validation_problem()
    {
        using var response = await Server.GetAsync("/api/rooms/no%24such/presence", await Server.TokenAsync("adam"));

        var problem = await response.ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("room", out _));
    }
}
