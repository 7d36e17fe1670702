namespace Sockeye.Engine;

public sealed partial class EngineSocket
{
    // One timer per session does both jobs: it fires after pingInterval to send a ping, then is re-armed for
    // pingTimeout; firing again without a pong in between means the client is gone. A pong re-arms it for the next
    // ping. The session therefore dies exactly pingInterval + pingTimeout after the last pong, with no grace period.
    private ITimer? _heartbeat;
    private bool _awaitingPong;
    private ITimer? _pollingCloseTimer;

    internal void StartHeartbeat()
    {
        lock (_lock)
        {
            _heartbeat = _server.TimeProvider.CreateTimer(static s => ((EngineSocket)s!).OnHeartbeatTimer(), this, Options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnHeartbeatTimer()
    {
        bool timedOut;
        var write = false;
        lock (_lock)
        {
            if (_state != EngineSocketState.Open && _state != EngineSocketState.Upgrading)
            {
                return;
            }

            timedOut = _awaitingPong;
            if (!timedOut)
            {
                _awaitingPong = true;
                _heartbeat?.Change(Options.PingTimeout, Timeout.InfiniteTimeSpan);

                // The ping bypasses the queue bound: it is how a stuck client gets detected.
                write = EnqueueLocked([OutboundPacket.Ping]);
            }
        }

        if (timedOut)
        {
            CloseAbruptly(EngineCloseReasons.PingTimeout, $"no pong within {Options.PingTimeout.TotalMilliseconds} ms");
        }
        else if (write)
        {
            WriteQueued();
        }
    }

    private void OnPong()
    {
        lock (_lock)
        {
            if (!_awaitingPong)
            {
                return;
            }

            _awaitingPong = false;
            _heartbeat?.Change(Options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopHeartbeatLocked()
    {
        _heartbeat?.Dispose();
        _heartbeat = null;
    }

    private void StartPollingCloseTimerLocked()
    {
        _pollingCloseTimer ??= _server.TimeProvider.CreateTimer(static s => ((EngineSocket)s!).Release(), this, Options.PollingCloseTimeout, Timeout.InfiniteTimeSpan);
    }

    private void DisposeTimersLocked()
    {
        StopHeartbeatLocked();
        _pollingCloseTimer?.Dispose();
        _pollingCloseTimer = null;
        _probeTimer?.Dispose();
        _probeTimer = null;
    }
}
