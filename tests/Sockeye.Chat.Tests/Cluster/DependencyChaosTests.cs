using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sockeye.Chat.Tests.Infrastructure;
using Sockeye.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>
/// Under steady chat load across three chat instances sharing Redis and PostgreSQL, in turn: one instance is killed
/// with SIGKILL (and a replacement started), Redis is restarted, PostgreSQL is restarted. Afterwards every acknowledged
/// message is in the database exactly once and in every connected observer's view of its room; every client was
/// connected again within 10 s of the failed dependency being back; during the PostgreSQL outage publishes were answered
/// with an error code, and no request was left without an answer while its connection stood; and no process needed a
/// restart besides the killed one: the others are the same processes, ready again once PostgreSQL is back.
/// </summary>
[Collection(ClusterCollectionDefinition.Name)]
public sealed class DependencyChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int AckTimeoutMs = 5000;
    private const int ReopenedObservers = 3;
    private static readonly TimeSpan LoadBetweenPhases = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan OutageDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReconnectBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OutageNoticed = TimeSpan.FromSeconds(15);

    private ChaosCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ChaosCluster.StartAsync(nameof(DependencyChaosTests), ["A", "B", "C"]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Acknowledged_messages_stay_stored_and_shown_and_clients_come_back_when_an_instance_Redis_and_PostgreSQL_fail_in_turn()
    {
        var started = Stopwatch.StartNew();
        var seed = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var config = new JsonObject
        {
            ["urls"] = _cluster.Urls(),
            ["observers"] = 9,
            ["publishers"] = 3,
            ["rooms"] = new JsonArray("chat", "alpha", "beta"),
            ["ackTimeoutMs"] = AckTimeoutMs,
            ["seed"] = seed,
        };
        output.WriteLine($"seed {seed}");
        await using var script = NodeScript.Start("chat-dependency-chaos.mjs", config.ToJsonString());
        await _cluster.ExpectAsync(script, "ready", TimeSpan.FromSeconds(10), output);
        await _cluster.ExpectAsync(script, "started", TimeSpan.FromSeconds(60), output);
        var survivors = _cluster.Instances.Skip(1).Select(i => (Instance: i, i.ProcessId)).ToList();
        var phases = new List<Phase>();
        await Task.Delay(LoadBetweenPhases);

        // 1. An instance dies without a goodbye: its clients move to the others at once; a replacement starts.
        var killed = _cluster.Instances[0];
        var killedAt = Now();
        await killed.KillAsync();
        _cluster.Instances[0] = await _cluster.StartInstanceAsync("A2");
        var replacedAt = Now();
        await killed.DisposeAsync();
        await script.SendAsync(new JsonObject { ["op"] = "urls", ["urls"] = _cluster.Urls() }.ToJsonString());
        phases.Add(await ReconnectedAsync(script, "instance killed", "the kill", killedAt, killedAt, replacedAt));
        await Task.Delay(LoadBetweenPhases);

        // 2. Redis is killed and comes back empty on the same port.
        var redisDownAt = Now();
        await _cluster.Redis.StopAsync();
        await AllInstancesAsync(i => i.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, OutageNoticed));
        await Task.Delay(OutageDuration);
        await _cluster.Redis.StartAsync();
        var redisBackAt = Now();
        await AllInstancesAsync(i => i.WaitUntilReadyAsync(ReconnectBound));
        output.WriteLine($"every instance ready {Now() - redisBackAt} ms after Redis was back");
        phases.Add(await ReconnectedAsync(script, "Redis restarted", "Redis was back", redisDownAt, redisBackAt, redisBackAt));
        await Task.Delay(LoadBetweenPhases);

        // 3. PostgreSQL stops and starts again on the same port with the same data.
        var postgresDownAt = Now();
        await _cluster.Postgres.StopAsync();
        await AllInstancesAsync(i => i.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, OutageNoticed));

        // Meanwhile some users open the chat: they need the messages they missed, which are in the database.
        await script.SendAsync(new JsonObject { ["op"] = "reopen", ["count"] = ReopenedObservers }.ToJsonString());
        output.WriteLine((await _cluster.ExpectAsync(script, "reopened", TimeSpan.FromSeconds(5), output)).ToString());
        await Task.Delay(OutageDuration);
        await _cluster.Postgres.StartAsync();
        var postgresBackAt = Now();
        await AllInstancesAsync(i => i.WaitUntilReadyAsync(ReconnectBound));
        output.WriteLine($"every instance ready {Now() - postgresBackAt} ms after PostgreSQL was back");
        phases.Add(await ReconnectedAsync(script, "PostgreSQL restarted", "PostgreSQL was back", postgresDownAt, postgresBackAt, postgresBackAt));
        await Task.Delay(LoadBetweenPhases);

        await script.SendAsync(new JsonObject { ["op"] = "stop" }.ToJsonString());
        var stopped = await _cluster.ExpectAsync(script, "stopped", TimeSpan.FromSeconds(60), output);
        var rows = await _cluster.StoredMessagesAsync();
        await script.SendAsync(new JsonObject { ["op"] = "check", ["truth"] = ChaosCluster.Truth(rows) }.ToJsonString());
        var checkedLine = await _cluster.ExpectAsync(script, "checked", TimeSpan.FromSeconds(30), output);

        var ackedAt = stopped.GetProperty("acked").EnumerateArray().Select(a => a[4].GetInt64()).ToList();
        var acked = stopped.GetProperty("acked").EnumerateArray()
            .Select(a => new StoredMessage(a[1].GetInt64(), a[2].GetString()!, a[3].GetInt64(), Guid.Parse(a[0].GetString()!)))
            .ToList();
        var failures = stopped.GetProperty("failures").EnumerateArray().ToList();
        var errors = failures.Where(f => !IsSilence(f.GetProperty("kind").GetString()!)).ToList();
        var publishErrors = errors.Where(f => f.GetProperty("event").GetString() == "chat_message").ToList();
        var duringPostgresOutage = errors
            .Where(f => f.GetProperty("at").GetInt64() >= postgresDownAt && f.GetProperty("at").GetInt64() <= postgresBackAt)
            .ToList();
        var publishErrorsDuringPostgresOutage = duringPostgresOutage.Where(f => f.GetProperty("event").GetString() == "chat_message").ToList();
        var syncErrorsDuringPostgresOutage = duringPostgresOutage.Where(f => f.GetProperty("event").GetString() == "sync").ToList();
        var silences = failures.Where(f => f.GetProperty("kind").GetString() == "timeout").ToList();
        var stats = stopped.GetProperty("stats");

        output.WriteLine($"messages acknowledged {acked.Count}, stored {rows.Count}, checked in observers' views {checkedLine.GetProperty("checked")}");
        output.WriteLine($"delivered live {stats.GetProperty("live")}, filled by sync {stats.GetProperty("synced")}, reconnects recovered {stats.GetProperty("recovered")}, not recovered {stats.GetProperty("notRecovered")}");
        output.WriteLine($"answers by event: {stopped.GetProperty("outcomes")}");
        output.WriteLine($"publish errors by code: {Describe(publishErrors)}; during the PostgreSQL outage: {Describe(publishErrorsDuringPostgresOutage)}");
        output.WriteLine($"sync errors by code during the PostgreSQL outage: {Describe(syncErrorsDuringPostgresOutage)}");
        output.WriteLine($"requests left unanswered while connected: {Describe(silences, "event")}");
        foreach (var phase in phases)
        {
            var connected = phase.Connected;
            output.WriteLine(
                $"{phase.Name}: out {phase.EndedAt - phase.DownAt} ms, {ackedAt.Count(t => t >= phase.DownAt && t <= phase.EndedAt)} messages acknowledged meanwhile; "
                + $"{connected.GetProperty("clientsDisconnected")} clients disconnected ({connected.GetProperty("disconnections")} times, longest {connected.GetProperty("longestMs")} ms), "
                + $"all connected {connected.GetProperty("reconnectMs")} ms after {phase.Back}");
        }

        output.WriteLine($"test ran {started.Elapsed.TotalSeconds:F1} s");

        // Every acknowledged message is stored once, as acknowledged; nothing is stored that no one had acknowledged.
        Assert.Empty(stopped.GetProperty("conflictingAcks").EnumerateArray());
        var byId = rows.ToDictionary(r => r.Id);
        var notStoredAsAcknowledged = acked.Where(a => !byId.TryGetValue(a.Id, out var row) || row != a).ToList();
        Assert.Empty(notStoredAsAcknowledged);
        var storedTwice = rows.GroupBy(r => r.MessageId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(storedTwice);
        Assert.Equal(acked.Count, rows.Count);

        // ... and shown by every observer in its rooms, once, in order: live, or synced to fill a gap.
        Assert.Empty(stopped.GetProperty("behind").EnumerateArray());
        Assert.True(checkedLine.GetProperty("ok").GetBoolean(), $"seed {seed}: {checkedLine}\n{_cluster.Logs()}");
        Assert.Equal(0, stats.GetProperty("liveDuplicates").GetInt32());

        // Every client was connected again within the bound after each failed dependency was back.
        foreach (var phase in phases)
        {
            var reconnect = phase.Connected.GetProperty("reconnectMs");
            Assert.True(
                reconnect.ValueKind == JsonValueKind.Number && reconnect.GetInt64() < ReconnectBound.TotalMilliseconds,
                $"{phase.Name}: clients were not all connected within {ReconnectBound.TotalSeconds} s: {phase.Connected}");
        }

        // The outage was told with an error code, to publishers and to users opening the chat; no request was met
        // with silence while its connection stood.
        Assert.NotEmpty(publishErrorsDuringPostgresOutage);
        Assert.NotEmpty(syncErrorsDuringPostgresOutage);
        Assert.Empty(silences);

        // Nothing but the killed instance was restarted: the others became ready again by themselves (awaited above).
        foreach (var (instance, processId) in survivors)
        {
            Assert.False(instance.HasExited, $"{instance.Name} exited:\n{instance.Output}");
            Assert.Equal(processId, instance.ProcessId);
        }

        Assert.False(_cluster.Instances[0].HasExited, $"{_cluster.Instances[0].Name} exited:\n{_cluster.Instances[0].Output}");
        Assert.True(acked.Count > 100, "too few messages were sent to mean anything");
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>No answer at all: lost with the connection (<c>dropped</c>), or none while it stood (<c>timeout</c>).</summary>
    private static bool IsSilence(string kind) => kind is "dropped" or "timeout";

    /// <summary>Counts of failed answers by <paramref name="property"/> (<c>kind</c>: the error code, or <c>event</c>).</summary>
    private static string Describe(IEnumerable<JsonElement> failures, string property = "kind") =>
        string.Join(", ", failures.GroupBy(f => f.GetProperty(property).GetString()).Select(g => $"{g.Key} × {g.Count()}")) is { Length: > 0 } text ? text : "none";

    private Task AllInstancesAsync(Func<ChatProcess, Task> action) => Task.WhenAll(_cluster.Instances.Select(action));

    /// <summary>
    /// Waits until every client is connected again after a failure that began at <paramref name="downAt"/>; the driver
    /// reports how long after <paramref name="backAt"/> the last one was. <paramref name="endedAt"/> is when the failed
    /// part was whole again (for a killed instance, when its replacement was ready).
    /// </summary>
    private async Task<Phase> ReconnectedAsync(NodeScript script, string name, string back, long downAt, long backAt, long endedAt)
    {
        await script.SendAsync(new JsonObject
        {
            ["op"] = "connected",
            ["since"] = downAt,
            ["backAt"] = backAt,
            ["timeoutMs"] = (int)(ReconnectBound + TimeSpan.FromSeconds(5)).TotalMilliseconds,
        }.ToJsonString());
        return new Phase(name, back, downAt, endedAt, await _cluster.ExpectAsync(script, "connected", ReconnectBound + TimeSpan.FromSeconds(15), output));
    }

    /// <summary>One failure: what failed, what "back" means for it, and what the driver saw of the clients.</summary>
    private sealed record Phase(string Name, string Back, long DownAt, long EndedAt, JsonElement Connected);
}
