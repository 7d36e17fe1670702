using System.Net;
using System.Text;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Api;

public sealed class TokenEndpointTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ChatServer Server => fixture.Server;

    [Fact]
    public async Task Dev_login_issues_a_signed_token_with_the_user_id_and_its_expiry()
    {
        using var response = await Server.PostJsonAsync("/api/auth/token", new { username = "alice_1-x" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(3, body.GetProperty("token").GetString()!.Split('.').Length);
        Assert.Equal("alice_1-x", body.GetProperty("user_id").GetString());
        Assert.True(body.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task The_issued_token_opens_the_authenticated_endpoints()
    {
        var token = await Server.TokenAsync("bob");

        using var response = await Server.GetAsync("/api/rooms/chat/messages", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("a-name-of-thirty-three-characters")]
    [InlineData("émile")]
    [InlineData("semi;colon")]
    public async Task An_invalid_username_is_a_validation_problem(string username)
    {
        using var response = await Server.PostJsonAsync("/api/auth/token", new { username });

        var problem = await response.ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _), problem.ToString());
    }

    [Fact]
    public async Task A_missing_username_is_a_validation_problem()
    {
        using var response = await Server.PostJsonAsync("/api/auth/token", new { });

        var problem = await response.ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _), problem.ToString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var content = new StringContent("{\"username\":", Encoding.UTF8, "application/json");

        using var response = await Server.Http.PostAsync("/api/auth/token", content);

        await response.ProblemAsync(400);
    }

    [Fact]
    public async Task Dev_login_is_a_404_problem_when_disabled()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["DEV_LOGIN"] = "false" });

        using var response = await server.PostJsonAsync("/api/auth/token", new { username = "alice" });

        await response.ProblemAsync(404);
    }
}
