using Microsoft.Extensions.Logging;
using Sockeye.Diagnostics;
using Sockeye.Protocol.EngineIO;

namespace Sockeye.Engine;

/// <summary>Receives the application messages of a session, in the order the client sent them.</summary>
/// <param name="socket">The session.</param>
/// <param name="packet">A message packet; its data is only valid during the call.</param>
public delegate void EngineMessageHandler(EngineSocket socket, EnginePacket packet);

/// <summary>Told once when a session closes.</summary>
/// <param name="socket">The session.</param>
/// <param name="reason">One of <see cref="EngineCloseReasons"/>.</param>
/// <param name="description">Details for logs, when there are any.</param>
public delegate void EngineClosedHandler(EngineSocket socket, string reason, string? description);

/// <summary>
/// One Engine.IO session: a client identified by its sid, reached through polling or a WebSocket, with one bounded
/// outbound queue and exactly one writer at a time (the pending polling GET, or whoever claimed the WebSocket writer).
/// </summary>
/// <remarks>The session is split by concern: this file holds the state and the outbound queue; the transports and
/// the heartbeat live in the other parts of the partial class.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The poll wake-up source lives only as long as a pending GET, which disposes it.")]
public sealed partial class EngineSocket : IThreadPoolWorkItem
{
    private readonly EngineServer _server;
    private readonly Queue<OutboundPacket> _queue = new();
    private readonly Lock _lock = new();
    private EngineSocketState _state;
    private string? _closeReason;

    internal EngineSocket(EngineServer server, string id, EngineHandshake handshake, bool webSocket)
    {
        _server = server;
        Id = id;
        Handshake = handshake;
        IsWebSocket = webSocket;
    }

    /// <summary>The session id the client sends back as <c>sid</c>.</summary>
    public string Id { get; }

    /// <summary>The request that opened the session.</summary>
    public EngineHandshake Handshake { get; }

    /// <summary>The name of the current transport: <c>polling</c> or <c>websocket</c>.</summary>
    public string TransportName => IsWebSocket ? "websocket" : "polling";

    /// <summary>Whether the session still accepts packets.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _state is EngineSocketState.Open or EngineSocketState.Upgrading;
            }
        }
    }

    /// <summary>The reason the session closed, once it has.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Packets waiting to be written.</summary>
    public int QueuedPackets
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Whatever the application wants to keep with the session (the Socket.IO layer keeps its client here).</summary>
    public object? Tag { get; set; }

    /// <summary>Raised for each message the client sends.</summary>
    public event EngineMessageHandler? MessageReceived;

    /// <summary>Raised once when the session closes, whoever closed it.</summary>
    public event EngineClosedHandler? Closed;

    /// <summary>Raised when the session has moved from polling to WebSocket.</summary>
    public event Action<EngineSocket>? Upgraded;

    internal bool IsWebSocket { get; private set; }

    /// <summary>The per-address counter this session holds, released when it leaves the server's table.</summary>
    internal string? AddressSlot { get; init; }

    private EngineOptions Options => _server.Options;

    private EngineMetrics Metrics => _server.Metrics;

    private ILogger Logger => _server.Logger;

    /// <summary>
    /// Queues a packet for the client.
    /// </summary>
    /// <returns><see langword="false"/> when the session is closed (the packet is dropped), or when the queue was full
    /// (the session is then closed with <see cref="EngineCloseReasons.OutboundQueueFull"/>).</returns>
    public bool Send(OutboundPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return Send([packet]);
    }

    /// <summary>
    /// Queues packets that must stay together (a Socket.IO header and its binary attachments): no other packet is
    /// queued between them.
    /// </summary>
    /// <returns>As <see cref="Send(OutboundPacket)"/>.</returns>
    public bool Send(ReadOnlySpan<OutboundPacket> packets) => Send(packets, WriteMode.Inline);

    /// <summary>
    /// Queues packets; <paramref name="mode"/> says whether an idle writer is run by the calling thread (a reply to
    /// this client) or posted to the thread pool (a broadcast, which the caller delivers to many sessions in a row).
    /// </summary>
    internal bool Send(ReadOnlySpan<OutboundPacket> packets, WriteMode mode)
    {
        bool full;
        var write = false;
        lock (_lock)
        {
            if (_state is not (EngineSocketState.Open or EngineSocketState.Upgrading))
            {
                return false;
            }

            full = _queue.Count + packets.Length > Options.MaxOutboundPackets;
            if (full)
            {
                EngineLog.OutboundQueueFull(Logger, Id, _queue.Count);
            }
            else
            {
                write = EnqueueLocked(packets);
            }
        }

        if (full)
        {
            CloseAbruptly(EngineCloseReasons.OutboundQueueFull, $"more than {Options.MaxOutboundPackets} packets waiting");
            return false;
        }

        if (write)
        {
            WriteQueued(mode);
        }

        return true;
    }

    /// <summary>
    /// Sends a packet only if the transport can take it now; otherwise drops it. For data that is worthless late
    /// (positions, typing indicators): it never waits in the queue.
    /// </summary>
    /// <returns>Whether the packet was queued for immediate writing.</returns>
    public bool SendVolatile(OutboundPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return SendVolatile([packet]);
    }

    /// <summary>Sends packets that stay together only if the transport can take them now; otherwise drops them all.</summary>
    /// <returns>Whether the packets were queued.</returns>
    public bool SendVolatile(ReadOnlySpan<OutboundPacket> packets) => SendVolatile(packets, WriteMode.Inline);

    /// <summary>As <see cref="SendVolatile(ReadOnlySpan{OutboundPacket})"/>, with the writer run as <paramref name="mode"/> says.</summary>
    internal bool SendVolatile(ReadOnlySpan<OutboundPacket> packets, WriteMode mode)
    {
        bool write;
        lock (_lock)
        {
            if (_state != EngineSocketState.Open || !IsWritableLocked() || _queue.Count + packets.Length > Options.MaxOutboundPackets)
            {
                Metrics.PacketDropped();
                return false;
            }

            write = EnqueueLocked(packets);
        }

        if (write)
        {
            WriteQueued(mode);
        }

        return true;
    }

    /// <summary>
    /// Closes the session from the server side (<c>forced close</c>): packets already queued are delivered first.
    /// </summary>
    public void Close() => CloseGracefully(EngineCloseReasons.ForcedClose, null);

    internal void CloseGracefully(string reason, string? description)
    {
        bool write;
        lock (_lock)
        {
            if (_state is EngineSocketState.Closing or EngineSocketState.Closed)
            {
                return;
            }

            _state = EngineSocketState.Closing;
            _closeReason = reason;
            write = EnqueueLocked([OutboundPacket.Close]);
            OnClosingLocked(graceful: true);
        }

        if (write)
        {
            WriteQueued();
        }

        OnClosed(reason, description);
    }

    /// <summary>
    /// Closes the session at once (the client is gone or misbehaved): it leaves the server's table immediately, and a
    /// pending poll still receives the <c>close</c> packet.
    /// </summary>
    internal void CloseAbruptly(string reason, string? description)
    {
        var write = false;
        lock (_lock)
        {
            if (_state == EngineSocketState.Closed)
            {
                return;
            }

            var wasClosing = _state == EngineSocketState.Closing;
            _state = EngineSocketState.Closed;
            if (!wasClosing)
            {
                _closeReason = reason;
                write = EnqueueLocked([OutboundPacket.Close]);
            }

            OnClosingLocked(graceful: false);
            if (wasClosing)
            {
                // Closed already reported when the graceful close began.
                reason = string.Empty;
            }
        }

        if (write)
        {
            WriteQueued();
        }

        Release();
        if (reason.Length > 0)
        {
            OnClosed(reason, description);
        }
    }

    /// <summary>
    /// Whether a packet queued now would be written without waiting behind others: a poll is pending, or the
    /// WebSocket writer has nothing queued.
    /// </summary>
    private bool IsWritableLocked() => IsWebSocket ? _queue.Count == 0 : _pollPending;

    /// <summary>
    /// Queues packets and wakes the pending poll, if any.
    /// </summary>
    /// <returns>Whether the caller has claimed the WebSocket writer and must call <see cref="WriteQueued"/> once it
    /// has left the lock.</returns>
    private bool EnqueueLocked(ReadOnlySpan<OutboundPacket> packets)
    {
        foreach (var packet in packets)
        {
            _queue.Enqueue(packet);
        }

        WakePollLocked();
        return TryClaimWriterLocked();
    }

    private void OnClosingLocked(bool graceful)
    {
        StopHeartbeatLocked();
        WakePollLocked();
        if (IsWebSocket)
        {
            OnWebSocketClosingLocked(graceful);
        }
        else if (graceful && !_pollPending)
        {
            // Nobody is polling: the close packet waits for the next GET, but not forever.
            StartPollingCloseTimerLocked();
        }

        AbortProbeLocked();
    }

    private void OnClosed(string reason, string? description)
    {
        EngineLog.SessionClosed(Logger, Id, TransportName, reason, description);
        Metrics.SessionClosed(TransportName, reason);
        try
        {
            Closed?.Invoke(this, reason, description);
        }
        catch (Exception ex)
        {
            EngineLog.HandlerFailed(Logger, Id, ex);
        }
    }

    /// <summary>Takes the session out of the server's table; the sid is unknown from now on.</summary>
    private void Release()
    {
        lock (_lock)
        {
            _state = EngineSocketState.Closed;
            DisposeTimersLocked();
            WakePollLocked();
        }

        _server.Remove(this);
    }

    private void Dispatch(EnginePacket packet)
    {
        switch (packet.Type)
        {
            case EnginePacketType.Message:
                Metrics.PacketReceived(packet.Data.Length);
                try
                {
                    MessageReceived?.Invoke(this, packet);
                }
                catch (Exception ex)
                {
                    EngineLog.HandlerFailed(Logger, Id, ex);
                }

                break;
            case EnginePacketType.Pong:
                OnPong();
                break;
            case EnginePacketType.Close:
                CloseByClient();
                break;
            case EnginePacketType.Ping:
                EngineLog.ProtocolViolation(Logger, Id, "client sent ping: the server pings in Engine.IO v4");
                CloseAbruptly(EngineCloseReasons.TransportError, "invalid heartbeat direction");
                break;
            default:
                EngineLog.ProtocolViolation(Logger, Id, $"unexpected {packet.Type} packet");
                CloseAbruptly(EngineCloseReasons.ParseError, $"unexpected {packet.Type} packet");
                break;
        }
    }

    private void OnUpgraded()
    {
        EngineLog.SessionUpgraded(Logger, Id);
        Metrics.Upgraded();
        try
        {
            Upgraded?.Invoke(this);
        }
        catch (Exception ex)
        {
            EngineLog.HandlerFailed(Logger, Id, ex);
        }
    }
}
