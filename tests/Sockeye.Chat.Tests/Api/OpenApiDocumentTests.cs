using System.Net;
using System.Text.RegularExpressions;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Api;

public sealed partial class OpenApiDocumentTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ChatServer Server => fixture.Server;

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint_with_its_methods()
    {
        using var response = await Server.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.JsonAsync()).GetProperty("paths");
        Assert.True(paths.GetProperty("/api/auth/token").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/rooms/{room}/messages").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/rooms/{room}/presence").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/broadcast").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_bearer_auth_and_snake_case_schemas()
    {
        var document = await (await Server.Http.GetAsync("/openapi/v1.json")).JsonAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var history = document.GetProperty("paths").GetProperty("/api/rooms/{room}/messages").GetProperty("get");
        Assert.True(history.TryGetProperty("security", out _));
        var login = document.GetProperty("paths").GetProperty("/api/auth/token").GetProperty("post");
        Assert.False(login.TryGetProperty("security", out _));
        var token = document.GetProperty("components").GetProperty("schemas").GetProperty("TokenResponse").GetProperty("properties");
        Assert.True(token.TryGetProperty("user_id", out _));
        Assert.True(token.TryGetProperty("expires_at", out _));
    }

    [Fact]
    public async Task The_docs_page_is_html_whose_script_is_served_locally()
    {
        using var page = await Server.Http.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).Where(s => !s.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            using var asset = await Server.Http.GetAsync(new Uri(new Uri(Server.BaseAddress, "/docs/"), script));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }

    [GeneratedRegex("<script[^>]+src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
