using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sockeye.LoadGenerator.Measurement;
using Sockeye.LoadGenerator.Transport;
using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// <c>soak</c> (Socket.IO targets only): a bounded run of the traffic a server lives with, watching its resources for
/// a leak. A population of clients, some on long-polling and the rest on WebSocket, each joins a room, then sends
/// echoes and publishes into its room (every request acknowledged) at a steady pace; sessions end at random, most
/// with a clean disconnect and a new client taking the place, some by an abrupt drop (the connection cut, a request
/// still in flight) after which the client reconnects. Two listeners per room (one per transport) stay for the
/// whole run and must receive every acknowledged publish exactly once. Every <c>--sample</c> seconds the server's
/// resident set and managed heap (after a full collection), descriptors and threads are recorded;
/// <see cref="SoakVerdict"/> decides on growth after the warm-up, lost messages and errors.
/// </summary>
internal sealed class SoakScenario : ISocketIOClientObserver
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(30);
    private readonly SoakCounters _counters = new();
    private readonly Uri _baseUri;
    private readonly TimeSpan _ackTimeout;
    private readonly double _intervalMs;
    private readonly int _publishEvery;
    private readonly double _meanLifetimeSeconds;
    private readonly double _dropShare;
    private readonly string _echoPayload;
    private readonly string _echoAck;
    private readonly int _publishPadding;
    private long _sessions;
    private long _publishSequence;

    private SoakScenario(Uri baseUri, CommandLine options, int churningClients)
    {
        _baseUri = baseUri;
        _ackTimeout = TimeSpan.FromSeconds(options.Double("ack-timeout", 10));
        _intervalMs = options.Double("interval", 500);
        _publishEvery = Math.Max(1, options.Int("publish-every", 4));
        var payloadBytes = Math.Max(1, options.Int("payload", 32));
        _echoPayload = new string('x', payloadBytes);
        _echoAck = "[\"" + _echoPayload + "\"]";
        _publishPadding = payloadBytes;

        // Session ends are a Poisson process over the population: each lifetime is exponential with the mean that
        // gives the requested rates of clean disconnects and drops per second in total.
        var churn = Math.Max(0, options.Double("churn", 4));
        var drops = Math.Max(0, options.Double("drops", 1));
        _meanLifetimeSeconds = churn + drops > 0 ? churningClients / (churn + drops) : double.PositiveInfinity;
        _dropShare = churn + drops > 0 ? drops / (churn + drops) : 0;
    }

    public static async Task<SoakOutcome> RunAsync(TargetInfo target, CommandLine options)
    {
        if (target.Protocol != "socketio")
        {
            throw new ArgumentException("soak is a Socket.IO scenario.");
        }

        var duration = TimeSpan.FromSeconds(options.Double("duration", 60));
        var sampleEvery = TimeSpan.FromSeconds(options.Double("sample", 5));
        var warmupSeconds = options.Double("warmup", 10);
        var clients = options.Int("connections", 200);
        var pollingClients = (int)Math.Round(clients * Math.Clamp(options.Double("polling-share", 0.1), 0, 1));
        var roomCount = Math.Max(1, options.Int("rooms", 4));
        var tolerances = SoakTolerances.From(options);
        var scenario = new SoakScenario(target.BaseUri, options, clients);
        var result = new ResultLine(target, options);

        var before = await MeasureAsync(target, 0, scenario).ConfigureAwait(false);
        var rooms = Enumerable.Range(0, roomCount).Select(i => new SoakRoom("soak-" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var listeners = new List<SocketIOClient>();
        foreach (var room in rooms)
        {
            listeners.Add(await scenario.OpenListenerAsync(new WebSocketSocketIOClient(scenario), room).ConfigureAwait(false));
            listeners.Add(await scenario.OpenListenerAsync(new PollingSocketIOClient(scenario), room).ConfigureAwait(false));
        }

        using var stopping = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        var population = Enumerable.Range(0, clients)
            .Select(slot => Task.Run(() => scenario.RunClientSlotAsync(slot < pollingClients, rooms[slot % roomCount], stopping.Token)))
            .ToArray();

        var samples = new List<SoakSample>();
        for (var next = sampleEvery; next <= duration; next += sampleEvery)
        {
            var wait = next - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }

            // Timers may wake a millisecond early: a sample is stamped with its schedule unless it is late.
            var at = Math.Max(next.TotalSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds);
            samples.Add(await MeasureAsync(target, at, scenario).ConfigureAwait(false));
        }

        var remaining = duration - Stopwatch.GetElapsedTime(started);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining).ConfigureAwait(false);
        }

        // The end: every client finishes its request and disconnects cleanly; then the listeners get a grace period
        // for the last messages before anything still missing counts as lost.
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(population).ConfigureAwait(false);
        var wallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var lostDeliveries = await WaitForDeliveriesAsync(rooms, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            await scenario.EndAsync(listener).ConfigureAwait(false);
        }

        // Idle again: what is left now is what the sessions did not give back (informative, not judged).
        await Task.Delay(2000).ConfigureAwait(false);
        var after = await MeasureAsync(target, wallSeconds, scenario).ConfigureAwait(false);

        var counters = scenario._counters;
        var verdict = SoakVerdict.Decide(samples, warmupSeconds, tolerances, counters, lostDeliveries);
        result.Add("clients", clients)
            .Add("polling_clients", pollingClients)
            .Add("listeners", listeners.Count)
            .Add("connects", counters.Connects)
            .Add("connect_failures", counters.ConnectFailures)
            .Add("disconnects", counters.Disconnects)
            .Add("close_timeouts", counters.CloseTimeouts)
            .Add("drops", counters.Drops)
            .Add("abandoned_by_drops", counters.AbandonedByDrops)
            .Add("requests", counters.Requests)
            .Add("acks", counters.Acks)
            .Add("lost_acks", counters.LostAcks)
            .Add("echo_mismatches", counters.EchoMismatches)
            .Add("publishes", counters.Publishes)
            .Add("deliveries", counters.Deliveries)
            .Add("lost_deliveries", lostDeliveries)
            .Add("duplicate_deliveries", counters.DuplicateDeliveries)
            .Add("unexpected_disconnects", counters.UnexpectedDisconnects)
            .Add("errors", counters.Errors)
            .Add("acks_per_s", counters.Acks / wallSeconds)
            .Add("deliveries_per_s", counters.Deliveries / wallSeconds)
            .Add("connects_per_s", counters.Connects / wallSeconds)
            .Add("rss_before_mib", before.RssMiB)
            .Add("heap_before_mib", before.HeapMiB)
            .Add("fds_before", before.Descriptors)
            .Add("threads_before", before.Threads)
            .Add("rss_after_close_mib", after.RssMiB)
            .Add("heap_after_close_mib", after.HeapMiB)
            .Add("fds_after_close", after.Descriptors)
            .Add("threads_after_close", after.Threads);

        // The result line holds flat metrics; the samples and the verdict go beside them.
        var line = JsonNode.Parse(result.ToJson(options))!.AsObject();
        line["samples"] = new JsonArray([.. samples.Select(sample => sample.ToJson())]);
        line["verdict"] = verdict.ToJson();
        return new SoakOutcome(line.ToJsonString(), verdict.Passed);
    }

    public void OnEvent(SocketIOClient client, ReadOnlySpan<byte> packet)
    {
        // 42["message","~sequence~xxx"]: the only event the target sends.
        var at = packet.IndexOf((byte)'~');
        if (at < 0)
        {
            return;
        }

        Interlocked.Increment(ref _counters.Deliveries);
        var position = at + 1;
        var sequence = WireAscii.ParseDigits(packet, ref position);
        if (client.State is RoomListener listener && sequence >= 0 && !listener.OnReceived(sequence))
        {
            Interlocked.Increment(ref _counters.DuplicateDeliveries);
        }
    }

    public void OnLost(SocketIOClient client, string reason)
    {
        // A session that never connected is a connect failure, counted where the connect is awaited.
        if (client.IsConnected && Interlocked.Increment(ref _counters.UnexpectedDisconnects) <= 10)
        {
            Console.Error.WriteLine($"soak: {client.TransportName} session lost: {reason}");
        }
    }

    private static async Task<SoakSample> MeasureAsync(TargetInfo target, double seconds, SoakScenario scenario)
    {
        var memory = await ServerProbe.CollectAndMeasureAsync(target.BaseUri, target.Pid).ConfigureAwait(false);
        var counters = scenario._counters;
        return new SoakSample(
            seconds,
            memory.RssBytes,
            memory.HeapBytes,
            ProcessResources.OpenDescriptors(target.Pid),
            ProcessResources.Threads(target.Pid),
            (int)Interlocked.Read(ref scenario._sessions),
            Interlocked.Read(ref counters.Connects),
            Interlocked.Read(ref counters.Disconnects),
            Interlocked.Read(ref counters.Drops),
            Interlocked.Read(ref counters.Acks),
            counters.Errors);
    }

    private static async Task<long> WaitForDeliveriesAsync(SoakRoom[] rooms, TimeSpan grace)
    {
        var until = Stopwatch.GetTimestamp() + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var missing = rooms.Sum(room => room.CountMissing());
            if (missing == 0 || Stopwatch.GetTimestamp() >= until)
            {
                return missing;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static TimeSpan Jittered(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds * (0.5 + Random.Shared.NextDouble()));

    /// <summary>A listener: connected and in its room before the population starts, there until the end.</summary>
    private async Task<SocketIOClient> OpenListenerAsync(SocketIOClient client, SoakRoom room)
    {
        var listener = new RoomListener();
        client.State = listener;
        if (!await TryConnectAsync(client).ConfigureAwait(false) || !await JoinAsync(client, room).ConfigureAwait(false))
        {
            throw new IOException($"a {client.TransportName} listener could not connect to {_baseUri} and join {room.Name}: {client.LostReason}");
        }

        room.Listeners.Add(listener);
        return client;
    }

    /// <summary>
    /// One place in the population, for the whole run: a client connects, joins the room, sends requests until its
    /// lifetime is over, then disconnects cleanly or drops, and the next client takes the place.
    /// </summary>
    private async Task RunClientSlotAsync(bool polling, SoakRoom room, CancellationToken stopping)
    {
        // Spread the first connects over two seconds rather than opening every session at once.
        if (!await DelayAsync(TimeSpan.FromMilliseconds(Random.Shared.Next(2000)), stopping).ConfigureAwait(false))
        {
            return;
        }

        var drops = 0;
        while (!stopping.IsCancellationRequested)
        {
            SocketIOClient client = polling ? new PollingSocketIOClient(this) : new WebSocketSocketIOClient(this);
            if (!await TryConnectAsync(client).ConfigureAwait(false))
            {
                await DelayAsync(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                continue;
            }

            var lifetime = TimeSpan.FromSeconds(-Math.Log(1 - Random.Shared.NextDouble()) * _meanLifetimeSeconds);
            var endOfLife = Stopwatch.GetTimestamp() + (long)(Math.Min(lifetime.TotalSeconds, 1e6) * Stopwatch.Frequency);
            var drop = Random.Shared.NextDouble() < _dropShare;
            var healthy = await JoinAsync(client, room).ConfigureAwait(false);
            for (var request = 1; healthy; request++)
            {
                healthy = await EchoAsync(client).ConfigureAwait(false);
                if (healthy && request % _publishEvery == 0)
                {
                    healthy = await PublishAsync(client, room).ConfigureAwait(false);
                }

                if (!healthy || Stopwatch.GetTimestamp() >= endOfLife || !await DelayAsync(Jittered(_intervalMs), stopping).ConfigureAwait(false))
                {
                    break;
                }
            }

            if (!healthy)
            {
                // Already counted as an error; release what is left of the session and start over.
                client.Drop(reset: false);
                Interlocked.Decrement(ref _sessions);
            }
            else if (drop && !stopping.IsCancellationRequested)
            {
                // Cut the connection with an echo and a publish still in flight, as a client that loses its network
                // does; every other drop resets the TCP connection, the rest just stop talking (FIN, no close).
                await client.SendWithoutWaitingAsync("echo", _echoPayload).ConfigureAwait(false);
                await client.SendWithoutWaitingAsync("publish", room.Name, NextPublishPayload()).ConfigureAwait(false);
                client.Drop(reset: drops++ % 2 == 0);
                Interlocked.Increment(ref _counters.Drops);
                Interlocked.Add(ref _counters.AbandonedByDrops, 2);
                Interlocked.Decrement(ref _sessions);

                // A reconnecting client waits a little first, as socket.io-client's randomized reconnection delay does.
                await DelayAsync(TimeSpan.FromMilliseconds(Random.Shared.Next(1000)), stopping).ConfigureAwait(false);
            }
            else
            {
                await EndAsync(client).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryConnectAsync(SocketIOClient client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(s_connectTimeout);
            await client.ConnectAsync(_baseUri, timeout.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _counters.Connects);
            Interlocked.Increment(ref _sessions);
            return true;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or System.Net.WebSockets.WebSocketException or OperationCanceledException or TimeoutException)
        {
            if (Interlocked.Increment(ref _counters.ConnectFailures) <= 10)
            {
                await Console.Error.WriteLineAsync($"soak: {client.TransportName} connect failed: {ex.Message}").ConfigureAwait(false);
            }

            client.Drop(reset: false);
            return false;
        }
    }

    /// <summary>A clean disconnect; a server that does not complete it in time is an error.</summary>
    private async Task EndAsync(SocketIOClient client)
    {
        if (await client.DisconnectAsync().ConfigureAwait(false))
        {
            Interlocked.Increment(ref _counters.Disconnects);
        }
        else
        {
            Interlocked.Increment(ref _counters.CloseTimeouts);
        }

        Interlocked.Decrement(ref _sessions);
    }

    private async Task<bool> JoinAsync(SocketIOClient client, SoakRoom room) =>
        await RequestAsync(client, "join", room.Name).ConfigureAwait(false) is not null;

    private async Task<bool> EchoAsync(SocketIOClient client)
    {
        var ack = await RequestAsync(client, "echo", _echoPayload).ConfigureAwait(false);
        if (ack is not null && ack != _echoAck)
        {
            Interlocked.Increment(ref _counters.EchoMismatches);
        }

        return ack is not null;
    }

    private async Task<bool> PublishAsync(SocketIOClient client, SoakRoom room)
    {
        var sequence = Interlocked.Increment(ref _publishSequence);
        if (await RequestAsync(client, "publish", room.Name, PublishPayload(sequence)).ConfigureAwait(false) is null)
        {
            return false;
        }

        Interlocked.Increment(ref _counters.Publishes);
        room.OnAcknowledged(sequence);
        return true;
    }

    private async Task<string?> RequestAsync(SocketIOClient client, string eventName, params string[] args)
    {
        Interlocked.Increment(ref _counters.Requests);
        var ack = await client.RequestAsync(_ackTimeout, eventName, args).ConfigureAwait(false);
        if (ack is null)
        {
            // Lost with its session (also counted as an unexpected disconnect) or simply never answered.
            Interlocked.Increment(ref _counters.LostAcks);
            return null;
        }

        Interlocked.Increment(ref _counters.Acks);
        return ack;
    }

    private string NextPublishPayload() => PublishPayload(Interlocked.Increment(ref _publishSequence));

    /// <summary><c>~sequence~</c>, padded with <c>x</c> to the payload size.</summary>
    private string PublishPayload(long sequence)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $"~{sequence}~");
        return marker.Length >= _publishPadding ? marker : marker + new string('x', _publishPadding - marker.Length);
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
