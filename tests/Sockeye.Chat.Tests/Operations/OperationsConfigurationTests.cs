using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Sockeye.Chat.Operations;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Operations;

public sealed class OperationsConfigurationTests
{
    [Theory]
    [InlineData("json", ConsoleFormatterNames.Json)]
    [InlineData("text", ConsoleFormatterNames.Simple)]
    public async Task LOG_FORMAT_chooses_json_lines_or_text_with_scopes_in_both(string format, string formatter)
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["LOG_FORMAT"] = format });

        Assert.Equal(formatter, server.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        ConsoleFormatterOptions options = format == "json"
            ? server.Services.GetRequiredService<IOptions<JsonConsoleFormatterOptions>>().Value
            : server.Services.GetRequiredService<IOptions<SimpleConsoleFormatterOptions>>().Value;
        Assert.True(options.IncludeScopes);
    }

    [Fact]
    public async Task SHUTDOWN_TIMEOUT_SECONDS_is_the_host_shutdown_timeout_and_a_lifecycle_service_drains()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["SHUTDOWN_TIMEOUT_SECONDS"] = "7" });

        Assert.Equal(TimeSpan.FromSeconds(7), server.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Contains(server.Services.GetServices<IHostedService>(), s => s is IHostedLifecycleService and DrainOnShutdownService);
    }

    [Fact]
    public async Task Stopping_the_service_makes_it_drain()
    {
        var server = await ChatServer.StartAsync();
        var drain = server.Services.GetRequiredService<DrainState>();

        await server.StopAsync();

        Assert.True(drain.IsDraining);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task CORS_origins_are_allowed_with_credentials_and_others_are_not()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["CORS_ORIGINS"] = "https://chat.example, https://admin.example" });

        using var allowed = await PreflightAsync(server, "https://admin.example");
        using var refused = await PreflightAsync(server, "https://evil.example");

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://admin.example", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_CORS_origins_no_origin_is_allowed()
    {
        await using var server = await ChatServer.StartAsync();

        using var response = await PreflightAsync(server, "https://chat.example");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> PreflightAsync(ChatServer server, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/rooms/chat/messages");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await server.Http.SendAsync(request);
    }
}
