using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Sockeye.Diagnostics;

namespace Sockeye.Recovery;

/// <summary>
/// Hands the sessions of connected sockets to an <see cref="IDurableConnectionStateStore"/>: all of them every
/// <see cref="IDurableConnectionStateStore.SnapshotInterval"/>, and those that just connected or changed rooms within
/// <see cref="ChangeDelay"/>. Does nothing with any other store or without recovery.
/// </summary>
/// <remarks>Data changes are not observable (<see cref="Socket.Data"/> is a plain dictionary): they reach the store with
/// the next complete snapshot.</remarks>
internal sealed class ConnectionStateSnapshotService : BackgroundService
{
    /// <summary>How long changes are gathered before they are handed over together.</summary>
    internal static readonly TimeSpan ChangeDelay = TimeSpan.FromMilliseconds(50);

    private readonly SocketIOServer _server;
    private readonly IDurableConnectionStateStore? _store;
    private readonly ConcurrentDictionary<Socket, byte> _changed = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectionStateSnapshotService(SocketIOServer server)
    {
        _server = server;
        _store = server.RecoveryStore as IDurableConnectionStateStore;
        if (_store is not null)
        {
            server.SessionChanged = OnSessionChanged;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_store is not { } store)
        {
            return;
        }

        var time = _server.TimeProvider;
        var next = time.GetUtcNow() + store.SnapshotInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = Volatile.Read(ref _wake);
                var wait = next - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(wake.Task, Task.Delay(wait, time, stoppingToken)).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                }

                var complete = time.GetUtcNow() >= next;
                if (!complete)
                {
                    Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    await Task.Delay(ChangeDelay, time, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    next = time.GetUtcNow() + store.SnapshotInterval;
                }

                await SaveAsync(store, complete ? CollectAll() : CollectChanged(), complete, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void OnSessionChanged(Socket socket)
    {
        if (_changed.TryAdd(socket, 0))
        {
            Volatile.Read(ref _wake).TrySetResult();
        }
    }

    private async Task SaveAsync(IDurableConnectionStateStore store, List<RecoverySession> sessions, bool complete, CancellationToken stoppingToken)
    {
        if (sessions.Count == 0 && !complete)
        {
            return;
        }

        try
        {
            await store.SaveConnectedAsync(sessions, complete, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SocketIOLog.SnapshotFailed(_server.Logger, ex);
        }
    }

    private List<RecoverySession> CollectAll()
    {
        _changed.Clear();
        var now = _server.TimeProvider.GetUtcNow();
        var sessions = new List<RecoverySession>();
        foreach (var nsp in _server.Namespaces)
        {
            foreach (var socket in nsp.Sockets.Values)
            {
                if (socket.Pid is { } pid && socket.Connected)
                {
                    sessions.Add(socket.CaptureSession(pid, now));
                }
            }
        }

        return sessions;
    }

    private List<RecoverySession> CollectChanged()
    {
        var now = _server.TimeProvider.GetUtcNow();
        var sessions = new List<RecoverySession>();
        foreach (var socket in _changed.Keys)
        {
            if (_changed.TryRemove(socket, out _) && socket.Pid is { } pid && socket.Connected)
            {
                sessions.Add(socket.CaptureSession(pid, now));
            }
        }

        return sessions;
    }
}
