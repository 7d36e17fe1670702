using Microsoft.Extensions.Hosting;
using Sockeye.Diagnostics;

namespace Sockeye.Recovery;

/// <summary>
/// Hands the sessions of connected sockets to an <see cref="IDurableConnectionStateStore"/> every
/// <see cref="IDurableConnectionStateStore.SnapshotInterval"/>; does nothing with any other store or without recovery.
/// </summary>
internal sealed class ConnectionStateSnapshotService(SocketIOServer server) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (server.RecoveryStore is not IDurableConnectionStateStore store)
        {
            return;
        }

        using var timer = new PeriodicTimer(store.SnapshotInterval, server.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await store.SaveConnectedAsync(Collect(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SocketIOLog.SnapshotFailed(server.Logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private List<RecoverySession> Collect()
    {
        var now = server.TimeProvider.GetUtcNow();
        var sessions = new List<RecoverySession>();
        foreach (var nsp in server.Namespaces)
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
}
