using System.Diagnostics;
using Sockeye.LoadGenerator.Measurement;
using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>
/// Many connections of one scenario: opened with bounded concurrency, kept alive when the protocol asks the client
/// to, closed together.
/// </summary>
internal sealed class ConnectionGroup : IAsyncDisposable
{
    private readonly List<WsConnection> _connections = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _keepAlive = Task.CompletedTask;

    private ConnectionGroup(WireProtocol wire) => Wire = wire;

    public WireProtocol Wire { get; }

    public IReadOnlyList<WsConnection> Connections => _connections;

    public int Failures { get; private set; }

    /// <summary>Connect latency (WebSocket upgrade plus application handshake).</summary>
    public LatencyHistogram ConnectLatency { get; } = new();

    public int LostCount => _connections.Count(c => c.LostUnexpectedly);

    /// <summary>Opens <paramref name="count"/> sessions, at most <paramref name="concurrency"/> handshakes at a time.</summary>
    public static async Task<ConnectionGroup> OpenAsync(Uri baseUri, WireProtocol wire, int count, int concurrency, IRecordHandler handler, int firstIndex = 0)
    {
        var group = new ConnectionGroup(wire);
        await group.AddAsync(baseUri, count, concurrency, handler, firstIndex).ConfigureAwait(false);
        return group;
    }

    public async Task AddAsync(Uri baseUri, int count, int concurrency, IRecordHandler handler, int firstIndex = 0)
    {
        var results = new WsConnection?[count];
        var next = -1;
        var failures = 0;

        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    var connection = await WsConnection.ConnectAsync(baseUri, Wire, firstIndex + i, timeout.Token).ConfigureAwait(false);
                    ConnectLatency.Record(LatencyHistogram.MicrosSince(started));
                    connection.Start(handler);
                    results[i] = connection;
                }
                catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException or HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(concurrency, count))).Select(_ => Task.Run(Worker))).ConfigureAwait(false);
        lock (_lock)
        {
            _connections.AddRange(results.Where(c => c is not null)!);
        }

        Failures += failures;
        if (!Wire.KeepAlive.IsEmpty && _keepAlive.IsCompleted)
        {
            _keepAlive = KeepAliveAsync(_stop.Token);
        }
    }

    /// <summary>Closes every connection, at most <paramref name="concurrency"/> at a time.</summary>
    public async Task CloseAllAsync(int concurrency = 200)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < _connections.Count)
            {
                await _connections[i].CloseAsync().ConfigureAwait(false);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(concurrency, _connections.Count))).Select(_ => Worker())).ConfigureAwait(false);
        _connections.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connections.Count > 0)
        {
            await CloseAllAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        // SignalR closes a connection whose client stayed silent for 30 s; pinging every 10 s keeps idle ones open.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                WsConnection[] snapshot;
                lock (_lock)
                {
                    snapshot = [.. _connections];
                }

                foreach (var connection in snapshot)
                {
                    await connection.SendRawAsync(Wire.KeepAlive).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
