using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye.Redis.Diagnostics;
using StackExchange.Redis;

namespace Sockeye.Redis.Internal;

/// <summary>
/// The one Redis connection of this server, shared by the adapters of every namespace: connects on first use, tracks
/// whether Redis is reachable, and says so in logs and metrics. StackExchange.Redis reconnects and resubscribes by
/// itself; this class only watches.
/// </summary>
internal sealed class RedisBackplane : IAsyncDisposable
{
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _ownsConnection;
    private readonly Lock _lock = new();
    private Task<IConnectionMultiplexer>? _connection;
    private IConnectionMultiplexer? _multiplexer;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _down;

    public RedisBackplane(Func<Task<IConnectionMultiplexer>> connect, bool ownsConnection, IOptions<RedisAdapterOptions> options, ILoggerFactory loggerFactory, IMeterFactory meterFactory)
    {
        _connect = connect;
        _ownsConnection = ownsConnection;
        Options = options.Value;
        Logger = loggerFactory.CreateLogger("Sockeye.Redis");
        Metrics = new RedisMetrics(meterFactory, () => IsConnected);
    }

    public RedisAdapterOptions Options { get; }

    public ILogger Logger { get; }

    public RedisMetrics Metrics { get; }

    /// <summary>Whether Redis is reachable right now.</summary>
    public bool IsConnected => Volatile.Read(ref _multiplexer) is { IsConnected: true } && Volatile.Read(ref _down) == 0;

    /// <summary>The connection, once made (it may be disconnected at the moment).</summary>
    public IConnectionMultiplexer? Multiplexer => Volatile.Read(ref _multiplexer);

    /// <summary>Connects on the first call; later calls share the same connection.</summary>
    public Task<IConnectionMultiplexer> ConnectAsync()
    {
        lock (_lock)
        {
            return _connection ??= ConnectCoreAsync();
        }
    }

    /// <summary>Completes when Redis is reachable (at once if it is).</summary>
    public Task WhenConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return IsConnected ? Task.CompletedTask : _connected.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? connection;
        lock (_lock)
        {
            connection = _connection;
        }

        if (connection is null || !_ownsConnection)
        {
            return;
        }

        try
        {
            var multiplexer = await connection.ConfigureAwait(false);
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            multiplexer.Dispose();
        }
        catch (RedisException)
        {
            // Nothing to close.
        }
    }

    private async Task<IConnectionMultiplexer> ConnectCoreAsync()
    {
        var multiplexer = await _connect().ConfigureAwait(false);
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        Volatile.Write(ref _multiplexer, multiplexer);
        if (multiplexer.IsConnected)
        {
            SignalConnected();
        }
        else if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            // Started without Redis: the server serves its own clients and joins the cluster once Redis answers.
            Metrics.Outage();
            RedisLog.BackplaneDown(Logger, "initial connection", string.Join(", ", multiplexer.GetEndPoints().Select(e => e.ToString())), null);
        }

        return multiplexer;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Both the interactive and the subscription connection report; the outage is logged once.
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            lock (_lock)
            {
                if (_connected.Task.IsCompleted)
                {
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            Metrics.Outage();
            RedisLog.BackplaneDown(Logger, e.FailureType.ToString(), e.EndPoint?.ToString() ?? "?", e.Exception);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        var multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is { IsConnected: true } && Interlocked.Exchange(ref _down, 0) == 1)
        {
            RedisLog.BackplaneUp(Logger, e.EndPoint?.ToString() ?? "?");
            SignalConnected();
        }
    }

    private void SignalConnected()
    {
        lock (_lock)
        {
            _connected.TrySetResult();
        }
    }
}
