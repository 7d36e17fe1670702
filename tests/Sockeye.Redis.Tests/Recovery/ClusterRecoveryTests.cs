using System.Text.Json;
using System.Text.Json.Nodes;
using Sockeye.Redis.Tests.Infrastructure;

namespace Sockeye.Redis.Tests.Recovery;

/// <summary>
/// Connection state recovery across servers, with the real socket.io-client (tests/interop/chat-actors.mjs): a client
/// comes back on the other server, also after its own was killed, with its id, rooms, data and every packet it missed.
/// </summary>
public sealed class ClusterRecoveryTests(ClusterRecoveryFixture cluster) : IClassFixture<ClusterRecoveryFixture>
{
    [Fact]
    public async Task A_client_of_a_killed_server_recovers_on_the_other_with_its_id_rooms_data_and_every_missed_packet()
    {
        await cluster.EnsureStartedAsync();
        await using var clients = await StartClientsAsync();
        var id = await ConnectAsync(clients, "c", cluster.A);
        await EmitAsync(clients, "c", "set", "name", "ada");
        await EmitAsync(clients, "c", "join", "r");
        await cluster.B.RunOkAsync(Commands.Emit("tick", [1], rooms: ["r"]));
        await cluster.A.RunOkAsync(Commands.Emit("tick", [2], rooms: ["r"]));
        await ReceivedAsync(clients, "c", "tick", 2);

        // The join had the session written (with the data set before it) within about 50 ms, long before the next
        // complete snapshot; then A dies without saving anything.
        await Task.Delay(300);
        await cluster.A.KillAsync();
        await clients.WaitForAsync(l => l.Event() == "disconnect" && l.Str("name") == "c", "c to lose A");
        await cluster.B.RunOkAsync(Commands.Emit("tick", [3], rooms: ["r"]));
        await cluster.B.RunOkAsync(Commands.Emit("tick", [4], rooms: ["r"]));
        await cluster.B.RunOkAsync(Commands.Emit("other", [5], rooms: ["elsewhere"]));
        await cluster.B.RunOkAsync(Commands.Emit("all", [6]));

        var reconnected = await ReconnectAsync(clients, "c", cluster.B);
        await cluster.B.RunOkAsync(Commands.Emit("tick", [7], rooms: ["r"]));
        await ReceivedAsync(clients, "c", "tick", 7);
        var state = await EmitAsync(clients, "c", "state");

        Assert.True(reconnected.GetProperty("recovered").GetBoolean());
        Assert.Equal(id, reconnected.Str("id"));
        Assert.Equal(["tick:1", "tick:2", "tick:3", "tick:4", "all:6", "tick:7"], Received(clients, "c"));
        Assert.Equal("B", state.Str("node"));
        Assert.True(state.GetProperty("recovered").GetBoolean());
        Assert.Contains("r", state.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("ada", state.GetProperty("data").GetProperty("name").GetString());
        AssertDistinctOffsets(clients, "c");
    }

    [Fact]
    public async Task A_client_whose_transport_dies_recovers_on_the_other_server_with_what_its_own_emitted_meanwhile()
    {
        await cluster.EnsureStartedAsync();
        await using var clients = await StartClientsAsync();
        var id = await ConnectAsync(clients, "d", cluster.A);
        await EmitAsync(clients, "d", "join", "r");
        await cluster.A.RunOkAsync(Commands.Emit("tick", [1], rooms: ["r"]));
        await ReceivedAsync(clients, "d", "tick", 1);

        await clients.SendAsync(new JsonObject { ["op"] = "kill-transport", ["name"] = "d" });
        await clients.WaitForAsync(l => l.Event() == "disconnect" && l.Str("name") == "d", "d to lose its transport");
        await cluster.A.RunOkAsync(Commands.Emit("tick", [2], rooms: ["r"]));
        await cluster.B.RunOkAsync(Commands.Emit("tick", [3], rooms: ["r"]));
        var reconnected = await ReconnectAsync(clients, "d", cluster.B);

        Assert.True(reconnected.GetProperty("recovered").GetBoolean());
        Assert.Equal(id, reconnected.Str("id"));
        Assert.Equal(["tick:1", "tick:2", "tick:3"], Received(clients, "d"));
    }

    [Fact]
    public async Task Every_server_delivers_recoverable_packets_in_the_same_order_whoever_emits_them()
    {
        await cluster.EnsureStartedAsync();
        await using var clients = await StartClientsAsync();
        await ConnectAsync(clients, "onA", cluster.A);
        await ConnectAsync(clients, "onB", cluster.B);
        await EmitAsync(clients, "onA", "join", "r");
        await EmitAsync(clients, "onB", "join", "r");

        var burst = new JsonObject { ["op"] = "emitMany", ["name"] = "burst", ["count"] = 50, ["rooms"] = new JsonArray("r"), ["except"] = new JsonArray(), ["args"] = new JsonArray() };
        await Task.WhenAll(cluster.A.RunOkAsync(burst.DeepClone().AsObject()), cluster.B.RunOkAsync(burst.DeepClone().AsObject()));
        await clients.WaitForAsync(_ => Offsets(clients, "onA").Count == 100 && Offsets(clients, "onB").Count == 100, "both clients to receive 100 packets");

        var onA = Offsets(clients, "onA");
        Assert.Equal(onA, Offsets(clients, "onB"));
        Assert.Equal(onA.OrderBy(o => o, StreamIdComparer.Instance), onA);
        Assert.Equal(100, onA.Distinct().Count());
    }

    [Fact]
    public async Task After_the_window_a_client_starts_afresh()
    {
        await cluster.EnsureStartedAsync();
        await using var clients = await StartClientsAsync();
        var id = await ConnectAsync(clients, "e", cluster.A);
        await cluster.A.RunOkAsync(Commands.Emit("all", [1]));
        await ReceivedAsync(clients, "e", "all", 1);
        await clients.SendAsync(new JsonObject { ["op"] = "kill-transport", ["name"] = "e" });
        await clients.WaitForAsync(l => l.Event() == "disconnect" && l.Str("name") == "e", "e to lose its transport");

        await Task.Delay(ClusterRecoveryFixture.WindowMs + 700);
        var reconnected = await ReconnectAsync(clients, "e", cluster.B);

        Assert.False(reconnected.GetProperty("recovered").GetBoolean());
        Assert.NotEqual(id, reconnected.Str("id"));
    }

    private async Task<LineProcess> StartClientsAsync()
    {
        var clients = LineProcess.Start("clients", "node", Paths.Interop, "chat-actors.mjs", cluster.B.Url);
        await clients.WaitForEventAsync("ready");
        return clients;
    }

    private static async Task<string> ConnectAsync(LineProcess clients, string name, ClusterNode node)
    {
        await clients.SendAsync(new JsonObject { ["op"] = "connect", ["name"] = name, ["url"] = node.Url, ["reconnection"] = false });
        var connected = await clients.WaitForAsync(l => l.Event() == "connected" && l.Str("name") == name, $"{name} to connect");
        Assert.False(connected.GetProperty("recovered").GetBoolean());
        return connected.Str("id")!;
    }

    /// <summary>Connects a disconnected client again, to <paramref name="node"/>; returns its <c>connected</c> line.</summary>
    private static async Task<JsonElement> ReconnectAsync(LineProcess clients, string name, ClusterNode node)
    {
        var before = clients.Lines(l => l.Event() == "connected" && l.Str("name") == name).Count;
        await clients.SendAsync(new JsonObject { ["op"] = "reconnect", ["name"] = name, ["url"] = node.Url });
        await clients.WaitForAsync(_ => clients.Lines(l => l.Event() == "connected" && l.Str("name") == name).Count > before, $"{name} to reconnect to {node.Name}");
        return clients.Lines(l => l.Event() == "connected" && l.Str("name") == name)[^1];
    }

    private static async Task<JsonElement> EmitAsync(LineProcess clients, string name, string eventName, params string[] args)
    {
        var answer = await clients.RequestAsync(new JsonObject
        {
            ["op"] = "emit",
            ["name"] = name,
            ["event"] = eventName,
            ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a)]),
            ["ack"] = true,
        });
        Assert.False(answer.TryGetProperty("timeout", out _), $"{eventName} was not acknowledged: {answer}");
        return answer.GetProperty("result");
    }

    private static Task<JsonElement> ReceivedAsync(LineProcess clients, string name, string type, int first) =>
        clients.WaitForAsync(
            l => l.Event() == "received" && l.Str("name") == name && l.Str("type") == type && l.GetProperty("args")[0].GetInt32() == first,
            $"{name} to receive {type}({first})");

    /// <summary>"type:first argument" of every event a client received, in order.</summary>
    private static List<string> Received(LineProcess clients, string name) =>
        [.. clients.Lines(l => l.Event() == "received" && l.Str("name") == name).Select(l => $"{l.Str("type")}:{l.GetProperty("args")[0].GetRawText()}")];

    private static List<string> Offsets(LineProcess clients, string name) =>
        [.. clients.Lines(l => l.Event() == "received" && l.Str("name") == name).Select(l => l.GetProperty("args")[l.GetProperty("args").GetArrayLength() - 1].GetString()!)];

    private static void AssertDistinctOffsets(LineProcess clients, string name)
    {
        var offsets = Offsets(clients, name);
        Assert.Equal(offsets.Count, offsets.Distinct().Count());
        Assert.Equal(offsets.OrderBy(o => o, StreamIdComparer.Instance), offsets);
    }

    /// <summary>Redis stream ids (<c>ms-seq</c>) in stream order.</summary>
    private sealed class StreamIdComparer : IComparer<string>
    {
        public static readonly StreamIdComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var (xm, xs) = Parse(x!);
            var (ym, ys) = Parse(y!);
            return xm != ym ? xm.CompareTo(ym) : xs.CompareTo(ys);
        }

        private static (long Ms, long Seq) Parse(string id)
        {
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            return (long.Parse(id.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture), long.Parse(id.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
