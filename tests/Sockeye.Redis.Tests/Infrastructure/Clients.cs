using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sockeye.Redis.Tests.Infrastructure;

/// <summary>Named socket.io-client 4.8 instances in one Node process (tests/interop/redis-clients.mjs).</summary>
public sealed class Clients : IAsyncDisposable
{
    private readonly LineProcess _process;
    private Clients(LineProcess process) => _process = process;

    public static async Task<Clients> StartAsync()
    {
        var process = LineProcess.Start("clients", "node", Paths.Interop, "redis-clients.mjs");
        await process.WaitForEventAsync("ready");
        return new Clients(process);
    }

    /// <summary>Connects a client to a server and returns its socket id.</summary>
    public async Task<string> ConnectAsync(string name, ClusterNode node, string nsp = "/", string? user = null)
    {
        var reference = _process.NextRef();
        var command = new JsonObject { ["op"] = "connect", ["name"] = name, ["url"] = node.Url, ["nsp"] = nsp, ["ref"] = reference };
        if (user is not null)
        {
            command["query"] = new JsonObject { ["user"] = user };
        }

        await _process.SendAsync(command);
        var connected = await _process.WaitForAsync(l => l.Event() == "connected" && l.Str("name") == name && l.GetProperty("ref").GetInt32() == reference, $"{name} connected");
        return connected.Str("id")!;
    }

    /// <summary>Emits from a client with an acknowledgement and returns the acknowledgement's value.</summary>
    public async Task<JsonElement> EmitAsync(string name, string eventName, params JsonNode?[] args)
    {
        var command = new JsonObject { ["op"] = "emit", ["name"] = name, ["event"] = eventName, ["args"] = new JsonArray(args) };
        var answer = await _process.RequestAsync(command);
        Assert.Equal("ack", answer.Event());
        return answer.GetProperty("result");
    }

    /// <summary>Joins a room (through the test app's <c>join</c> event, acknowledged once done).</summary>
    public Task JoinAsync(string name, string room) => EmitAsync(name, "join", room);

    /// <summary>Waits for a client to receive an event (already received or still to come).</summary>
    public Task<JsonElement> ReceivedAsync(string name, string eventName, TimeSpan? timeout = null) =>
        _process.WaitForAsync(l => l.Event() == "received" && l.Str("name") == name && l.Str("type") == eventName, $"{name} received {eventName}", timeout);

    /// <summary>Waits for a client to receive an event whose first argument is <paramref name="first"/>.</summary>
    public Task<JsonElement> WaitForAsync(string name, string eventName, int first) =>
        _process.WaitForAsync(
            l => l.Event() == "received" && l.Str("name") == name && l.Str("type") == eventName && l.GetProperty("args")[0].ValueKind == JsonValueKind.Number && l.GetProperty("args")[0].GetInt32() == first,
            $"{name} received {eventName}({first})");

    /// <summary>Every event a client received so far with this name.</summary>
    public IReadOnlyList<JsonElement> Received(string name, string eventName) =>
        _process.Lines(l => l.Event() == "received" && l.Str("name") == name && l.Str("type") == eventName);

    /// <summary>Waits for the <c>fence</c> event carrying <paramref name="marker"/>.</summary>
    public Task<JsonElement> WaitForFenceAsync(string name, string marker) =>
        _process.WaitForAsync(
            l => l.Event() == "received" && l.Str("name") == name && l.Str("type") == "fence" && l.GetProperty("args")[0].GetString() == marker,
            $"{name} received fence {marker}");

    public Task<JsonElement> DisconnectedAsync(string name) =>
        _process.WaitForAsync(l => l.Event() == "disconnect" && l.Str("name") == name, $"{name} disconnected");

    public bool IsDisconnected(string name) => _process.Lines(l => l.Event() == "disconnect" && l.Str("name") == name).Count > 0;

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
