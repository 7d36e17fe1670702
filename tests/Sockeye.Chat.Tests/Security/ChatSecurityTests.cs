using System.Net;
using System.Net.WebSockets;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Security;

public sealed class ChatSecurityTests
{
    [Fact]
    public async Task Neither_tokens_nor_message_text_reach_the_logs_at_information_level()
    {
        var sink = new CapturingLoggerProvider();
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" }, logSink: sink);
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        var token = await server.TokenAsync("ada");
        const string Secret = "the-launch-code-is-0000";

        await clients.ConnectAsync("ada", token);
        await clients.EmitWithAckAsync("ada", "chat_message", new { text = Secret });
        await clients.ConnectAsync("bad", token + "tampered");

        Assert.Contains(sink.Lines, l => l.Contains("ada", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Lines, l => l.Contains(token.Split('.')[2], StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Lines, l => l.Contains(token.Split('.')[1], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/../../../../etc/passwd")]
    [InlineData("/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/rooms/..%2f..%2f..%2f..%2fetc%2fpasswd")]
    public async Task Static_files_cannot_escape_wwwroot(string path)
    {
        await using var server = await ChatServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);

        using var response = await server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_allows_listed_origins_only_and_never_reflects_another_with_credentials()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["CORS_ORIGINS"] = "https://chat.example" });

        async Task<HttpResponseMessage> Preflight(string origin, string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return await server.Http.SendAsync(request);
        }

        using var allowedApi = await Preflight("https://chat.example", "/api/auth/token");
        using var allowedSocket = await Preflight("https://chat.example", "/socket.io/?EIO=4&transport=polling");
        using var evilApi = await Preflight("https://evil.example", "/api/auth/token");
        using var evilSocket = await Preflight("https://evil.example", "/socket.io/?EIO=4&transport=polling");

        Assert.Equal("https://chat.example", allowedApi.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("https://chat.example", allowedSocket.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(evilApi.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(evilSocket.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_websocket_from_a_disallowed_origin_is_refused()
    {
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["CORS_ORIGINS"] = "https://chat.example" });
        var url = new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = "/socket.io/", Query = "EIO=4&transport=websocket" }.Uri;

        using var evil = new ClientWebSocket();
        evil.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => evil.ConnectAsync(url, CancellationToken.None));

        using var good = new ClientWebSocket();
        good.Options.SetRequestHeader("Origin", "https://chat.example");
        await good.ConnectAsync(url, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, good.State);
    }
}
