using System.Diagnostics;
using System.Text;
using Sockeye.LoadGenerator.Measurement;
using Sockeye.LoadGenerator.Transport;
using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// <c>echo</c> over WebSocket: C connections in a closed loop (each sends its next request when the previous one is
/// acknowledged), then the same connections at a fixed offered rate (open loop), latency from each request's send.
/// </summary>
internal sealed class EchoScenario : IRecordHandler
{
    private const int Window = 4096;
    private readonly LatencyHistogram _closed = new();
    private readonly LatencyHistogram _fixed = new();
    private readonly ReadOnlyMemory<byte> _payload;
    private volatile LatencyHistogram? _recording;
    private volatile bool _closedLoop;
    private long _acks;

    private EchoScenario(int payloadBytes) => _payload = Encoding.ASCII.GetBytes(new string('x', payloadBytes));

    public static async Task<string> RunAsync(TargetInfo target, CommandLine options)
    {
        var connections = options.Int("connections", 50);
        var duration = TimeSpan.FromSeconds(options.Double("duration", 10));
        var warmup = TimeSpan.FromSeconds(options.Double("warmup", 3));
        var rate = options.Double("rate", 5000);
        var scenario = new EchoScenario(options.Int("payload", 32));
        var result = new ResultLine(target, options);

        await using var group = await ConnectionGroup.OpenAsync(target.BaseUri, target.Wire, connections, 50, scenario).ConfigureAwait(false);
        foreach (var connection in group.Connections)
        {
            connection.State = new EchoState();
        }

        // Closed loop: every connection keeps one request in flight; warm up (JIT, pools), then measure.
        scenario._closedLoop = true;
        foreach (var connection in group.Connections)
        {
            _ = scenario.SendEchoAsync(connection, Stopwatch.GetTimestamp()).AsTask();
        }

        await Task.Delay(warmup).ConfigureAwait(false);
        Interlocked.Exchange(ref scenario._acks, 0);
        scenario._recording = scenario._closed;
        var cpu = CpuWindow.Start(target.Pid);
        await Task.Delay(duration).ConfigureAwait(false);
        scenario._recording = null;
        scenario._closedLoop = false;
        cpu.Stop();
        var closedAcks = Interlocked.Read(ref scenario._acks);
        result.Add("closed_acks_per_s", closedAcks / cpu.WallSeconds)
            .AddLatency("closed", scenario._closed)
            .Add("closed_acks_per_cpu_s", cpu.PerServerCpuSecond(closedAcks))
            .AddCpu("closed", cpu, "ack", closedAcks);
        await Task.Delay(1000).ConfigureAwait(false);

        // Open loop at the same offered rate for every target: compare latency at equal load.
        Interlocked.Exchange(ref scenario._acks, 0);
        scenario._recording = scenario._fixed;
        var pending = new PendingSends();
        cpu = CpuWindow.Start(target.Pid);
        var pacer = new Pacer();
        var sent = await pacer.RunAsync(rate, duration, n =>
            pending.Track(scenario.SendEchoAsync(group.Connections[(int)(n % group.Connections.Count)], Stopwatch.GetTimestamp()))).ConfigureAwait(false);
        await pending.WhenAllAsync().ConfigureAwait(false);
        var drainUntil = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        while (Interlocked.Read(ref scenario._acks) < sent && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        cpu.Stop();
        scenario._recording = null;
        var fixedAcks = Interlocked.Read(ref scenario._acks);
        result.Add("fixed_offered_rate", rate)
            .Add("fixed_acks_per_s", fixedAcks / duration.TotalSeconds)
            .AddLatency("fixed", scenario._fixed)
            .Add("fixed_lost", sent - fixedAcks)
            .Add("fixed_pacer_lag_p99_ms", pacer.Lag.PercentileMillis(99))
            .Add("fixed_acks_per_cpu_s", cpu.PerServerCpuSecond(fixedAcks))
            .AddCpu("fixed", cpu, "ack", fixedAcks)
            .Add("connections", group.Connections.Count)
            .Add("connect_failures", group.Failures)
            .Add("disconnects", group.LostCount);
        return result.ToJson(options);
    }

    public async ValueTask OnAckAsync(WsConnection connection, long ackId)
    {
        var state = (EchoState)connection.State!;
        var sentAt = state.SentAt[ackId % Window];
        if (_recording is { } histogram)
        {
            histogram.Record(LatencyHistogram.MicrosSince(sentAt));
            Interlocked.Increment(ref _acks);
        }

        if (_closedLoop)
        {
            await SendEchoAsync(connection, Stopwatch.GetTimestamp()).ConfigureAwait(false);
        }
    }

    public void OnEvent(WsConnection connection, ReadOnlySpan<byte> record)
    {
    }

    private ValueTask SendEchoAsync(WsConnection connection, long sentAt)
    {
        var state = (EchoState)connection.State!;
        var id = Interlocked.Increment(ref state.NextId);
        state.SentAt[id % Window] = sentAt;
        return connection.SendAsync(
            static (destination, wire, request) => wire.WriteEcho(destination, request.Id, request.Payload.Span),
            (Id: id, Payload: _payload));
    }

    private sealed class EchoState
    {
        public readonly long[] SentAt = new long[Window];
        public long NextId;
    }
}
