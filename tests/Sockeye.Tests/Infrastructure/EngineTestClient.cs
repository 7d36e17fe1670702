using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sockeye.Tests.Infrastructure;

/// <summary>A hand-rolled Engine.IO v4 client over HttpClient and ClientWebSocket, for protocol-level assertions.</summary>
public sealed class EngineTestClient : IDisposable
{
    public const char Separator = '\u001e';
    private readonly TestHost _host;
    private readonly string _path;

    public EngineTestClient(TestHost host, string path = "/engine.io/")
    {
        _host = host;
        _path = path;
        Http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    public HttpClient Http { get; }

    public string PollingUrl(string sid) => $"{_path}?EIO=4&transport=polling&sid={sid}";

    public async Task<(string Sid, JsonElement Open)> HandshakeAsync()
    {
        var body = await Http.GetStringAsync($"{_path}?EIO=4&transport=polling");
        Assert.StartsWith("0{", body);
        var open = JsonDocument.Parse(body.Split(Separator)[0][1..]).RootElement.Clone();
        return (open.GetProperty("sid").GetString()!, open);
    }

    public Task<HttpResponseMessage> GetAsync(string sid, CancellationToken cancellationToken = default) =>
        Http.GetAsync(PollingUrl(sid), cancellationToken);

    public async Task<string> PollAsync(string sid, CancellationToken cancellationToken = default)
    {
        using var response = await GetAsync(sid, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task<HttpResponseMessage> PostAsync(string sid, string payload) =>
        await Http.PostAsync(PollingUrl(sid), new StringContent(payload, Encoding.UTF8, "text/plain"));

    public async Task PostOkAsync(string sid, string payload)
    {
        using var response = await PostAsync(sid, payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    public async Task<ClientWebSocket> ConnectWebSocketAsync(string? sid = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        var query = sid is null ? "EIO=4&transport=websocket" : $"EIO=4&transport=websocket&sid={sid}";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(_host.WebSocketUrl($"{_path}?{query}"), timeout.Token);
        return socket;
    }

    public void Dispose() => Http.Dispose();
}
