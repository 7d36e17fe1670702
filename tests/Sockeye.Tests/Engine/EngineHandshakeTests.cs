using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

public sealed class EngineHandshakeTests
{
    [Fact]
    public async Task Polling_handshake_returns_open_packet_with_session_parameters()
    {
        await using var host = await EngineEcho.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
        });
        using var client = new EngineTestClient(host);

        using var response = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.StartsWith("0{", body);
        var open = JsonDocument.Parse(body[1..]).RootElement;
        var sid = open.GetProperty("sid").GetString()!;
        Assert.Equal(20, sid.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", sid);
        Assert.Equal(["websocket"], open.GetProperty("upgrades").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(300, open.GetProperty("pingInterval").GetInt32());
        Assert.Equal(200, open.GetProperty("pingTimeout").GetInt32());
        Assert.Equal(1_000_000, open.GetProperty("maxPayload").GetInt32());
        Assert.Equal(["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"], open.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Session_ids_are_unique()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var ids = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            Assert.True(ids.Add((await client.HandshakeAsync()).Sid));
        }
    }

    [Fact]
    public async Task Upgrades_are_not_offered_when_disabled()
    {
        await using var host = await EngineEcho.StartAsync(o => o.AllowUpgrades = false);
        using var client = new EngineTestClient(host);
        var (_, open) = await client.HandshakeAsync();
        Assert.Equal(0, open.GetProperty("upgrades").GetArrayLength());
    }

    [Fact]
    public async Task Initial_packet_follows_the_open_packet()
    {
        await using var host = await EngineEcho.StartAsync(o => o.InitialPacket = "welcome");
        using var client = new EngineTestClient(host);
        var body = await client.Http.GetStringAsync("/engine.io/?EIO=4&transport=polling");
        var records = body.Split(EngineTestClient.Separator);
        Assert.Equal(2, records.Length);
        Assert.Equal("4welcome", records[1]);
    }

    [Fact]
    public async Task Cookie_is_set_on_the_polling_handshake_when_enabled()
    {
        await using var host = await EngineEcho.StartAsync(o => o.Cookie = new EngineCookieOptions());
        using var client = new EngineTestClient(host);
        using var response = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");
        var sid = JsonDocument.Parse((await response.Content.ReadAsStringAsync())[1..]).RootElement.GetProperty("sid").GetString();
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"io={sid}; path=/;", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.Contains("httponly", cookie);
    }

    [Theory]
    [InlineData("/engine.io/?EIO=4", 0, "Transport unknown")]
    [InlineData("/engine.io/?EIO=4&transport=carrier-pigeon", 0, "Transport unknown")]
    [InlineData("/engine.io/?EIO=4&transport=polling&sid=unknown", 1, "Session ID unknown")]
    [InlineData("/engine.io/?EIO=4&transport=websocket", 3, "Bad request")]
    [InlineData("/engine.io/?transport=polling", 5, "Unsupported protocol version")]
    [InlineData("/engine.io/?EIO=abc&transport=polling", 5, "Unsupported protocol version")]
    [InlineData("/engine.io/?EIO=3&transport=polling", 5, "Unsupported protocol version")]
    public async Task Invalid_get_requests_are_refused_with_the_reference_code(string url, int code, string message)
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        using var response = await client.Http.GetAsync(url);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, code, message);
    }

    [Fact]
    public async Task Handshake_with_post_is_refused_with_code_2()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        using var response = await client.Http.PostAsync("/engine.io/?EIO=4&transport=polling", new StringContent("4hello"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, 2, "Bad handshake method");
    }

    [Fact]
    public async Task Disabled_transport_is_unknown()
    {
        await using var host = await EngineEcho.StartAsync(o => o.Transports = EngineTransports.WebSocket);
        using var client = new EngineTestClient(host);
        using var response = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, 0, "Transport unknown");
    }

    [Fact]
    public async Task AllowRequest_refusal_returns_403_with_code_4_and_the_message()
    {
        await using var host = await EngineEcho.StartAsync(o => o.AllowRequest = _ => ValueTask.FromResult(AllowRequestResult.Deny("go away")));
        using var client = new EngineTestClient(host);
        using var response = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");
        await AssertErrorAsync(response, HttpStatusCode.Forbidden, 4, "go away");
    }

    [Fact]
    public async Task AllowRequest_refusal_fails_the_websocket_handshake_before_the_upgrade()
    {
        await using var host = await EngineEcho.StartAsync(o => o.AllowRequest = ctx =>
            ValueTask.FromResult(ctx.Request.Headers.Origin == "https://evil.example" ? AllowRequestResult.Deny() : AllowRequestResult.Allow));
        using var client = new EngineTestClient(host);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() =>
            client.ConnectWebSocketAsync(configure: o => { o.SetRequestHeader("Origin", "https://evil.example"); o.CollectHttpResponseDetails = true; }));
        Assert.Contains("400", refused.Message);

        using var allowed = await client.ConnectWebSocketAsync(configure: o => o.SetRequestHeader("Origin", "https://good.example"));
        Assert.StartsWith("0{", await allowed.ReceiveTextAsync());
    }

    [Fact]
    public async Task AllowRequest_sees_the_request_and_allows_it()
    {
        await using var host = await EngineEcho.StartAsync(o => o.AllowRequest = ctx =>
            ValueTask.FromResult(ctx.Request.Query["token"] == "secret" ? AllowRequestResult.Allow : AllowRequestResult.Deny()));
        using var client = new EngineTestClient(host);
        using var ok = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling&token=secret");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var refused = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling&token=wrong");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetInt32());
        Assert.Equal(message, json.GetProperty("message").GetString());
    }
}
