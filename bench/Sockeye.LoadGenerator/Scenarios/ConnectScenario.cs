using Sockeye.LoadGenerator.Measurement;
using Sockeye.LoadGenerator.Transport;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// <c>connect</c>: ramps to N WebSocket sessions (each one connected to the main namespace or through the hub
/// handshake) with bounded concurrency, then measures the server's memory per idle session: resident set after a full
/// collection at N, minus the same reading before the ramp, divided by N. A small batch is opened and closed first so
/// that JIT and pool warm-up are not charged to the sessions.
/// </summary>
internal sealed class ConnectScenario : IRecordHandler
{
    public static async Task<string> RunAsync(TargetInfo target, CommandLine options)
    {
        var count = options.Int("connections", 10_000);
        var concurrency = options.Int("concurrency", 100);
        var idle = TimeSpan.FromSeconds(options.Double("idle", 3));
        var handler = new ConnectScenario();
        var result = new ResultLine(target, options);

        var warm = await ConnectionGroup.OpenAsync(target.BaseUri, target.Wire, Math.Min(500, count), concurrency, handler).ConfigureAwait(false);
        await warm.DisposeAsync().ConfigureAwait(false);
        await Task.Delay(1000).ConfigureAwait(false);
        var before = await ServerProbe.CollectAndMeasureAsync(target.BaseUri, target.Pid).ConfigureAwait(false);

        var cpu = CpuWindow.Start(target.Pid);
        var group = await ConnectionGroup.OpenAsync(target.BaseUri, target.Wire, count, concurrency, handler).ConfigureAwait(false);
        cpu.Stop();
        await using (group.ConfigureAwait(false))
        {
            var connected = group.Connections.Count;
            await Task.Delay(idle).ConfigureAwait(false);
            var after = await ServerProbe.CollectAndMeasureAsync(target.BaseUri, target.Pid).ConfigureAwait(false);
            result.Add("connects_per_s", connected / cpu.WallSeconds)
                .Add("connected", connected)
                .Add("failures", group.Failures)
                .AddLatency("connect", group.ConnectLatency)
                .Add("connects_per_cpu_s", cpu.PerServerCpuSecond(connected))
                .AddCpu("ramp", cpu, "connect", connected)
                .Add("rss_before_mib", before.RssBytes / 1048576.0)
                .Add("rss_at_n_mib", after.RssBytes / 1048576.0)
                .Add("rss_per_conn_kib", connected == 0 ? double.NaN : (after.RssBytes - before.RssBytes) / 1024.0 / connected)
                .Add("heap_per_conn_kib", connected == 0 ? double.NaN : (after.HeapBytes - before.HeapBytes) / 1024.0 / connected)
                .Add("gc", after.Gc)
                .Add("disconnects_while_idle", group.LostCount);
        }

        return result.ToJson(options);
    }

    public ValueTask OnAckAsync(WsConnection connection, long ackId) => ValueTask.CompletedTask;

    public void OnEvent(WsConnection connection, ReadOnlySpan<byte> record)
    {
    }
}
