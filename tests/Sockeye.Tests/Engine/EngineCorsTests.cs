using System.Net;
using System.Net.WebSockets;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

public sealed class EngineCorsTests
{
    [Fact]
    public async Task No_cors_headers_without_a_policy()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/engine.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "https://app.example");

        using var response = await client.Http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_is_answered_204_with_the_allowed_origin_and_credentials()
    {
        await using var host = await EngineEcho.StartAsync(o => o.Cors = p => p.WithOrigins("https://app.example").AllowCredentials().AllowAnyHeader());
        using var client = new EngineTestClient(host);
        using var request = new HttpRequestMessage(HttpMethod.Options, "/engine.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
    }

    [Fact]
    public async Task Disallowed_origin_gets_no_cors_headers_and_is_never_reflected()
    {
        await using var host = await EngineEcho.StartAsync(o => o.Cors = p => p.WithOrigins("https://app.example").AllowCredentials());
        using var client = new EngineTestClient(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/engine.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await client.Http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Websocket_from_a_disallowed_origin_is_refused()
    {
        await using var host = await EngineEcho.StartAsync(o => o.Cors = p => p.WithOrigins("https://app.example"));
        using var client = new EngineTestClient(host);

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectWebSocketAsync(configure: o => o.SetRequestHeader("Origin", "https://evil.example")));

        using var allowed = await client.ConnectWebSocketAsync(configure: o => o.SetRequestHeader("Origin", "https://app.example"));
        Assert.StartsWith("0{", await allowed.ReceiveTextAsync());
    }
}
