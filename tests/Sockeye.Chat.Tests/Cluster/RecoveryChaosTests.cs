using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Sockeye.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>
/// Nothing lost, nothing twice: 20 clients on two chat instances (PostgreSQL, Redis) have their connections cut at
/// random moments — transports killed, absences beyond the recovery window, one instance killed with SIGKILL and
/// started again — while 5 publishers send. Each client displays what it receives (live, replayed on recovery, or
/// synced after a reconnect that did not recover); at the end, every client's every room equals the database.
/// </summary>
[Collection(ClusterCollectionDefinition.Name)]
public sealed class RecoveryChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RecoveryWindowMs = 2000;
    private static readonly TimeSpan ChaosDuration = TimeSpan.FromSeconds(30);
    private ChaosCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ChaosCluster.StartAsync(
        nameof(RecoveryChaosTests),
        ["A", "B"],
        settings => settings["RECOVERY_WINDOW_MS"] = RecoveryWindowMs.ToString(CultureInfo.InvariantCulture));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Every_client_displays_every_message_of_its_rooms_once_and_in_order_whatever_cuts_its_connection()
    {
        var seed = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var config = new JsonObject
        {
            ["urls"] = _cluster.Urls(),
            ["observers"] = 20,
            ["publishers"] = 5,
            ["rooms"] = new JsonArray("chat", "alpha", "beta"),
            ["durationMs"] = (int)ChaosDuration.TotalMilliseconds,
            ["windowMs"] = RecoveryWindowMs,
            ["seed"] = seed,
        };
        output.WriteLine($"seed {seed}");
        await using var script = NodeScript.Start("chat-chaos.mjs", config.ToJsonString());
        await script.ExpectAsync("ready");
        await script.ExpectAsync("started", TimeSpan.FromSeconds(60));

        // About 40% into the run, instance A dies without a goodbye and comes back (on another port).
        await Task.Delay(ChaosDuration * 0.4);
        var victim = _cluster.Instances[0];
        var killedAt = DateTimeOffset.UtcNow;
        await victim.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        _cluster.Instances[0] = await _cluster.StartInstanceAsync("A2");
        await victim.DisposeAsync();
        await script.SendAsync(new JsonObject { ["op"] = "urls", ["urls"] = _cluster.Urls() }.ToJsonString());

        var finished = await _cluster.ExpectAsync(script, "finished", ChaosDuration + TimeSpan.FromSeconds(60), output);
        output.WriteLine(finished.ToString());
        await script.SendAsync(new JsonObject { ["op"] = "check", ["truth"] = ChaosCluster.Truth(await _cluster.StoredMessagesAsync()) }.ToJsonString());
        var checkedLine = await _cluster.ExpectAsync(script, "checked", TimeSpan.FromSeconds(30), output);
        var stats = checkedLine.GetProperty("stats");
        output.WriteLine(
            $"disconnects {stats.GetProperty("disconnects")} (transport kills {stats.GetProperty("transportKills")}, absences beyond the window {stats.GetProperty("longAbsences")}, "
            + $"plus an instance killed), recovered {stats.GetProperty("recovered")}, not recovered {stats.GetProperty("notRecovered")}, "
            + $"messages synced {stats.GetProperty("synced")}, messages checked {checkedLine.GetProperty("checked")}, acknowledged {finished.GetProperty("acked")}");

        Assert.True(checkedLine.GetProperty("ok").GetBoolean(), $"seed {seed}: {checkedLine}\n{_cluster.Logs()}");

        // A hole a client had to fill by itself is a message stored but never broadcast: its instance was killed between
        // the two. Anything else would be a packet that recovery lost.
        var holes = stats.GetProperty("holesFilled").EnumerateArray().Select(h => (Room: h[0].GetString()!, Seq: h[1].GetInt64())).Distinct().ToList();
        output.WriteLine($"holes filled by sync: {holes.Count} distinct ({string.Join(", ", holes.Select(h => $"{h.Room}#{h.Seq}"))})");
        foreach (var (room, seq) in holes)
        {
            var storedAt = await StoredAtAsync(room, seq);
            Assert.True(
                storedAt > killedAt - TimeSpan.FromSeconds(2) && storedAt < killedAt + TimeSpan.FromSeconds(0.5),
                $"seed {seed}: {room}#{seq}, stored at {storedAt:O}, was missed although its instance was killed at {killedAt:O}");
        }

        Assert.Equal(0, stats.GetProperty("liveDuplicates").GetInt32());
        Assert.True(stats.GetProperty("recovered").GetInt32() > 0, "no reconnect recovered");
        Assert.True(stats.GetProperty("notRecovered").GetInt32() > 0, "every reconnect recovered: the sync path was not exercised");
        Assert.True(finished.GetProperty("acked").GetInt32() > 100, "too few messages were sent to mean anything");
    }

    private async Task<DateTimeOffset> StoredAtAsync(string room, long seq)
    {
        await using var connection = new NpgsqlConnection(_cluster.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT timestamp FROM messages WHERE room = @room AND seq = @seq", connection);
        command.Parameters.AddWithValue("room", room);
        command.Parameters.AddWithValue("seq", seq);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{room}#{seq} is not in the database");
        return reader.GetFieldValue<DateTimeOffset>(0);
    }
}
