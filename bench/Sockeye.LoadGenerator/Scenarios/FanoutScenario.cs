using System.Diagnostics;
using System.Text;
using Sockeye.LoadGenerator.Measurement;
using Sockeye.LoadGenerator.Transport;
using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// <c>fanout</c>: N subscribers join one room; P publishers (not in the room) publish <c>~run:seq:timestamp~</c>
/// payloads, first at a fixed total rate (delivery rate, loss, latency), then as fast as a window of messages in
/// flight allows (a message leaves the window once every subscriber has it): the saturation throughput.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds nothing to release unless its wait handle is used, which this code never does.")]
internal sealed class FanoutScenario : IRecordHandler
{
    private const string Room = "bench";
    private const int SlotCount = 1 << 16;
    private readonly int[] _receivedPerSlot = new int[SlotCount];
    private readonly int _payloadBytes;
    private LatencyHistogram _latency = new();
    private SemaphoreSlim? _window;
    private int _subscribers;
    private volatile int _run;
    private volatile bool _recording;
    private long _delivered;
    private long _joined;
    private long _seq;

    private FanoutScenario(int payloadBytes) => _payloadBytes = payloadBytes;

    public static async Task<string> RunAsync(TargetInfo target, CommandLine options)
    {
        var subscribers = options.Int("subscribers", 1000);
        var publishers = options.Int("publishers", 4);
        var rate = options.Double("rate", 50);
        var duration = TimeSpan.FromSeconds(options.Double("duration", 10));
        var warmup = TimeSpan.FromSeconds(options.Double("warmup", 3));
        var window = options.Int("window", 8);
        var scenario = new FanoutScenario(Math.Clamp(options.Int("payload", 64), 0, 8192));
        var result = new ResultLine(target, options);

        await using var subscriberGroup = await ConnectionGroup.OpenAsync(target.BaseUri, target.Wire, subscribers, 100, scenario).ConfigureAwait(false);
        await using var publisherGroup = await ConnectionGroup.OpenAsync(target.BaseUri, target.Wire, publishers, publishers, scenario).ConfigureAwait(false);
        scenario._subscribers = subscriberGroup.Connections.Count;
        await scenario.JoinAllAsync(subscriberGroup).ConfigureAwait(false);
        var pub = publisherGroup.Connections;

        // Warm-up at the fixed rate, not recorded (run 1), then the fixed-rate run (run 2).
        var pending = new PendingSends();
        scenario._run = 1;
        await new Pacer().RunAsync(rate, warmup, n => pending.Track(scenario.PublishAsync(pub[(int)(n % pub.Count)], Stopwatch.GetTimestamp()))).ConfigureAwait(false);
        await Task.Delay(1000).ConfigureAwait(false);

        scenario.BeginRun(2);
        var cpu = CpuWindow.Start(target.Pid);
        var pacer = new Pacer();
        var sent = await pacer.RunAsync(rate, duration, n => pending.Track(scenario.PublishAsync(pub[(int)(n % pub.Count)], Stopwatch.GetTimestamp()))).ConfigureAwait(false);
        await pending.WhenAllAsync().ConfigureAwait(false);
        var expected = sent * scenario._subscribers;
        await scenario.DrainAsync(expected, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        cpu.Stop();
        scenario._recording = false;
        var delivered = Interlocked.Read(ref scenario._delivered);
        result.Add("fixed_offered_rate", rate)
            .Add("fixed_delivered_per_s", delivered / duration.TotalSeconds)
            .Add("fixed_loss_pct", expected == 0 ? 0 : 100.0 * (expected - delivered) / expected)
            .AddLatency("fixed", scenario._latency)
            .Add("fixed_deliveries_per_cpu_s", cpu.PerServerCpuSecond(delivered))
            .Add("fixed_pacer_lag_p99_ms", pacer.Lag.PercentileMillis(99))
            .AddCpu("fixed", cpu, "delivery", delivered);
        await Task.Delay(1000).ConfigureAwait(false);

        // Saturation (run 3): publishers keep `window` messages in flight between them.
        using (scenario._window = new SemaphoreSlim(window))
        {
            scenario.BeginRun(3);
            var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            long published = 0;
            var stalls = 0;
            cpu = CpuWindow.Start(target.Pid);
            await Task.WhenAll(pub.Select(async publisher =>
            {
                while (Stopwatch.GetTimestamp() < stopAt)
                {
                    if (!await scenario._window.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
                    {
                        // A message some subscriber never got: go on rather than stall (the loss is reported).
                        Interlocked.Increment(ref stalls);
                    }

                    Interlocked.Increment(ref published);
                    await scenario.PublishAsync(publisher, Stopwatch.GetTimestamp()).ConfigureAwait(false);
                }
            })).ConfigureAwait(false);
            cpu.Stop();
            scenario._recording = false;
            var saturated = Interlocked.Read(ref scenario._delivered);
            result.Add("sat_delivered_per_s", saturated / cpu.WallSeconds)
                .Add("sat_deliveries_per_cpu_s", cpu.PerServerCpuSecond(saturated))
                .AddLatency("sat", scenario._latency)
                .Add("sat_published", published)
                .Add("sat_window_stalls", stalls)
                .AddCpu("sat", cpu, "delivery", saturated);
            await scenario.DrainAsync(published * scenario._subscribers, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        result.Add("subscribers", scenario._subscribers)
            .Add("connect_failures", subscriberGroup.Failures + publisherGroup.Failures)
            .Add("disconnects", subscriberGroup.LostCount + publisherGroup.LostCount);
        return result.ToJson(options);
    }

    public ValueTask OnAckAsync(WsConnection connection, long ackId)
    {
        Interlocked.Increment(ref _joined);
        return ValueTask.CompletedTask;
    }

    public void OnEvent(WsConnection connection, ReadOnlySpan<byte> record)
    {
        var at = record.IndexOf((byte)'~');
        if (at < 0)
        {
            return;
        }

        var pos = at + 1;
        var run = WireAscii.ParseDigits(record, ref pos);
        pos++;
        var seq = WireAscii.ParseDigits(record, ref pos);
        pos++;
        var sentAt = WireAscii.ParseDigits(record, ref pos);
        if (run != _run || !_recording || seq < 0 || sentAt < 0)
        {
            return;
        }

        _latency.Record(LatencyHistogram.MicrosSince(sentAt));
        Interlocked.Increment(ref _delivered);
        if (_window is { } window && Interlocked.Increment(ref _receivedPerSlot[seq % SlotCount]) == _subscribers)
        {
            window.Release();
        }
    }

    private void BeginRun(int run)
    {
        _latency = new LatencyHistogram();
        Interlocked.Exchange(ref _delivered, 0);
        _run = run;
        _recording = true;
    }

    private async Task DrainAsync(long expected, TimeSpan limit)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _delivered) < expected && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    private async Task JoinAllAsync(ConnectionGroup group)
    {
        var room = Encoding.ASCII.GetBytes(Room);
        foreach (var connection in group.Connections)
        {
            await connection.SendAsync(static (destination, wire, r) => wire.WriteJoin(destination, 1, r.Span), (ReadOnlyMemory<byte>)room).ConfigureAwait(false);
        }

        var until = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Interlocked.Read(ref _joined) < group.Connections.Count && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        if (Interlocked.Read(ref _joined) < group.Connections.Count)
        {
            throw new TimeoutException($"only {_joined} of {group.Connections.Count} subscribers joined");
        }
    }

    private ValueTask PublishAsync(WsConnection publisher, long sentAt)
    {
        var seq = Interlocked.Increment(ref _seq);
        Volatile.Write(ref _receivedPerSlot[seq % SlotCount], 0);
        return publisher.SendAsync(static (destination, wire, message) =>
        {
            // ~run:seq:timestamp~ then padding up to the payload size.
            Span<byte> payload = stackalloc byte[Math.Max(message.Size, 64)];
            var n = WireAscii.Write(payload, "~"u8);
            n += WireAscii.WriteDigits(payload[n..], message.Run);
            payload[n++] = (byte)':';
            n += WireAscii.WriteDigits(payload[n..], message.Seq);
            payload[n++] = (byte)':';
            n += WireAscii.WriteDigits(payload[n..], message.SentAt);
            payload[n++] = (byte)'~';
            payload[n..].Fill((byte)'x');
            var size = Math.Max(n, message.Size);
            return wire.WritePublish(destination, "bench"u8, payload[..size]);
        }, (Run: _run, Seq: seq, SentAt: sentAt, Size: _payloadBytes));
    }
}
