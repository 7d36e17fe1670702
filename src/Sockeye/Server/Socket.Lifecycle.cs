using Sockeye.Adapters;
using Sockeye.Diagnostics;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>Told when a socket leaves its namespace.</summary>
/// <param name="socket">The socket; in <see cref="Socket.Disconnecting"/> its rooms are still readable.</param>
/// <param name="reason">One of <see cref="SocketDisconnectReasons"/>.</param>
/// <param name="description">Details, when any.</param>
public delegate void SocketDisconnectHandler(Socket socket, string reason, string? description);

public sealed partial class Socket
{
    private string? _disconnectReason;
    private bool _ready;
    private List<SocketPacket>? _early;
    private List<(BroadcastPacket Packet, bool IsVolatile)>? _held;
    private string? _replayedUpTo;

    /// <summary>Raised when the socket is about to leave; its rooms are still populated.</summary>
    public event SocketDisconnectHandler? Disconnecting;

    /// <summary>Raised once the socket has left its namespace and rooms.</summary>
    public event SocketDisconnectHandler? Disconnected;

    /// <summary>Whether the socket is connected.</summary>
    public bool Connected
    {
        get
        {
            lock (_lock)
            {
                return _disconnectReason is null;
            }
        }
    }

    /// <summary>
    /// Leaves the namespace (the client receives a DISCONNECT packet); with <paramref name="close"/>, closes the
    /// whole connection and every namespace on it.
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (close)
        {
            _client.DisconnectAll();
            return;
        }

        if (!Connected)
        {
            return;
        }

        SendControl(EncodedPacket.Disconnect(Namespace.Name));
        OnClose(SocketDisconnectReasons.ServerNamespaceDisconnect, null);
    }

    /// <summary>Gives a recovered socket its data back; before the middleware runs, as in the reference, so that a
    /// middleware may overwrite it.</summary>
    internal void RestoreData(IReadOnlyDictionary<string, object?> data)
    {
        Recovered = true;
        foreach (var (key, value) in data)
        {
            Data[key] = value;
        }
    }

    /// <summary>
    /// Puts a recovered socket back in its rooms and replays what it missed. The replay goes out before the CONNECT
    /// reply, as the reference does: the client holds those events until it is connected.
    /// </summary>
    /// <returns><see langword="false"/> when the store could not say what was missed: the connection is then closed,
    /// the session kept again, and the client's next attempt tries once more.</returns>
    /// <remarks>Packets delivered live while the store is read are held back, then sent after the replay unless the
    /// replay already carried them (same offset): the client gets each packet once, in order.</remarks>
    internal async ValueTask<bool> RestoreAsync(Recovery.RecoverySession session, string offset, Recovery.IConnectionStateStore store)
    {
        var held = new List<(BroadcastPacket Packet, bool IsVolatile)>();
        System.Threading.Volatile.Write(ref _held, held);
        Namespace.Adapter.AddAll(Id, session.Rooms);
        IReadOnlyList<Recovery.StoredPacket>? missed = null;
        Exception? failure = null;
        try
        {
            missed = await store.ReadAfterAsync(Namespace.Name, offset, session.Rooms).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        if (missed is null)
        {
            SocketIOLog.ReplayFailed(Server.Logger, Id, Namespace.Name, failure);
            lock (held)
            {
                System.Threading.Volatile.Write(ref _held, null);
            }

            // The socket is in its rooms, so closing keeps the whole session again.
            _client.Engine.Close();
            return false;
        }

        var replayed = new HashSet<string>(StringComparer.Ordinal);
        var upTo = offset;
        foreach (var packet in missed)
        {
            if (replayed.Add(packet.Offset))
            {
                object?[] args = [.. packet.Args, packet.Offset];
                SendControl(EncodedPacket.Event(Namespace.Name, packet.EventName, args, null, Server.JsonOptions));
                upTo = packet.Offset;
            }
        }

        lock (held)
        {
            _replayedUpTo = upTo;
            foreach (var (packet, isVolatile) in held)
            {
                if (!(packet.Args is [.., string heldOffset] && replayed.Contains(heldOffset)) && !IsAlreadyReplayed(packet))
                {
                    DeliverNow(packet, isVolatile);
                }
            }

            System.Threading.Volatile.Write(ref _held, null);
        }

        Namespace.Metrics.Replayed(Namespace.Name, replayed.Count);
        return true;
    }

    /// <summary>
    /// Whether a live packet is one the client already has: at or before the last offset replayed (or presented by the
    /// client), as a server behind the others in delivering a shared log may still send. The first newer packet ends
    /// the check: this server delivers in log order.
    /// </summary>
    private bool IsAlreadyReplayed(BroadcastPacket packet)
    {
        if (_replayedUpTo is not { } upTo || packet.Args is not [.., string offset]
            || Server.RecoveryStore?.CompareOffsets(offset, upTo) is not { } order)
        {
            return false;
        }

        if (order <= 0)
        {
            return true;
        }

        _replayedUpTo = null;
        return false;
    }

    /// <summary>What a store keeps of this socket to restore it later.</summary>
    internal Recovery.RecoverySession CaptureSession(string pid, DateTimeOffset at) => new(
        pid,
        Id,
        Namespace.Name,
        [.. Rooms],
        _data is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(_data, StringComparer.Ordinal),
        at);

    internal void OnConnected()
    {
        Namespace.Adapter.AddAll(Id, [Id]);
        SendControl(EncodedPacket.Connect(Namespace.Name, Id, Pid));
        OnSessionChanged();
    }

    /// <summary>Dispatches packets that arrived while the connection handlers were running.</summary>
    internal void MarkReady()
    {
        while (true)
        {
            List<SocketPacket>? early;
            lock (_lock)
            {
                early = _early;
                _early = null;
                if (early is null)
                {
                    _ready = true;
                    return;
                }
            }

            foreach (var packet in early)
            {
                Handle(packet);
            }
        }
    }

    internal void OnPacket(SocketPacket packet)
    {
        lock (_lock)
        {
            if (!_ready)
            {
                (_early ??= []).Add(packet);
                return;
            }
        }

        Handle(packet);
    }

    internal void OnClose(string reason, string? description)
    {
        lock (_lock)
        {
            if (_disconnectReason is not null)
            {
                return;
            }

            _disconnectReason = reason;
        }

        Raise(Disconnecting, reason, description);
        FailPendingAcks(reason);
        KeepForRecovery(reason);
        Namespace.Adapter.DeleteAll(Id);
        Namespace.Remove(this);
        _client.Remove(this);
        SocketIOLog.SocketDisconnected(Server.Logger, Id, Namespace.Name, reason);
        Raise(Disconnected, reason, description);
    }

    /// <summary>Keeps the session for a client that may come back (recoverable reasons only, as the reference).</summary>
    private void KeepForRecovery(string reason)
    {
        if (Server.RecoveryStore is not { } store || Pid is null || !IsRecoverable(reason))
        {
            return;
        }

        var session = CaptureSession(Pid, Server.TimeProvider.GetUtcNow());
        var saving = store.SaveSessionAsync(session);
        if (!saving.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(saving);
        }
    }

    private async Task ObserveAsync(ValueTask saving)
    {
        try
        {
            await saving.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SocketIOLog.SessionNotSaved(Server.Logger, Id, Namespace.Name, ex);
        }
    }

    private static bool IsRecoverable(string reason) => reason is SocketDisconnectReasons.TransportError
        or SocketDisconnectReasons.TransportClose
        or SocketDisconnectReasons.ForcedClose
        or SocketDisconnectReasons.PingTimeout
        or SocketDisconnectReasons.ServerShuttingDown
        or "forced server close";

    private void Handle(SocketPacket packet)
    {
        if (!Connected)
        {
            return;
        }

        switch (packet.Type)
        {
            case SocketPacketType.Event:
            case SocketPacketType.BinaryEvent:
                OnEvent(packet);
                break;
            case SocketPacketType.Ack:
            case SocketPacketType.BinaryAck:
                OnAck(packet);
                break;
            case SocketPacketType.Disconnect:
                OnClose(SocketDisconnectReasons.ClientNamespaceDisconnect, null);
                break;
            default:
                // CONNECT for a connected namespace or CONNECT_ERROR from a client: not for the server.
                SocketIOLog.UnexpectedPacket(Server.Logger, Id, packet.Type.ToString());
                break;
        }
    }

    private void Raise(SocketDisconnectHandler? handler, string reason, string? description)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, reason, description);
        }
        catch (Exception ex)
        {
            SocketIOLog.HandlerFailed(Server.Logger, Id, "disconnect", ex);
        }
    }
}
