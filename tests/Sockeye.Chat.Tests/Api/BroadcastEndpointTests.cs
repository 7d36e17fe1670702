using System.Net;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Api;

public sealed class BroadcastEndpointTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ChatServer Server => fixture.Server;

    [Fact]
    public async Task Broadcast_without_a_token_is_401()
    {
        using var response = await Server.PostJsonAsync("/api/broadcast", new { message = "hello" });

        await response.ProblemAsync(401);
    }

    [Fact]
    public async Task Broadcast_by_a_user_without_the_admin_role_is_403()
    {
        using var response = await Server.PostJsonAsync("/api/broadcast", new { message = "hello" }, await Server.TokenAsync("alice"));

        await response.ProblemAsync(403);
    }

    [Fact]
    public async Task Broadcast_by_an_admin_is_accepted_with_the_alert_sent()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await Server.PostJsonAsync("/api/broadcast", new { message = "  maintenance at noon  " }, await Server.TokenAsync("admin"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var alert = await response.JsonAsync();
        Assert.Equal("maintenance at noon", alert.GetProperty("message").GetString());
        Assert.InRange(alert.GetProperty("timestamp").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task An_empty_alert_is_a_validation_problem(string? message)
    {
        using var response = await Server.PostJsonAsync("/api/broadcast", new { message }, await Server.TokenAsync("admin"));

        var problem = await response.ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("message", out _));
    }
}
