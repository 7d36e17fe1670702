using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Sockeye.Adapters;
using Sockeye.Diagnostics;
using Sockeye.Engine;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>
/// A client connected to one namespace. Receives events (<see cref="On(string, Action{SocketEventContext})"/>),
/// emits to its client, joins rooms, and broadcasts to others.
/// </summary>
/// <remarks>The class is split by concern: this file holds identity and emitting; events, acknowledgements, rooms
/// and the life cycle live in the other parts.</remarks>
public sealed partial class Socket
{
    private readonly SocketClient _client;
    private readonly Lock _lock = new();
    private ConcurrentDictionary<string, object?>? _data;

    internal Socket(SocketNamespace nsp, SocketClient client, SocketHandshake handshake, string? id = null, string? pid = null)
    {
        Namespace = nsp;
        _client = client;
        Handshake = handshake;
        Id = id ?? GenerateId();
        Pid = pid ?? (nsp.Server.RecoveryStore is null ? null : GenerateId());
    }

    /// <summary>The private session id a client presents to recover this socket (null when recovery is off).</summary>
    internal string? Pid { get; }

    /// <summary>
    /// The socket id: public (other clients may learn it), distinct from the connection's private engine id, and the
    /// name of a room this socket is always in.
    /// </summary>
    public string Id { get; }

    /// <summary>The namespace.</summary>
    public SocketNamespace Namespace { get; }

    /// <summary>The handshake: headers, query, address, auth payload.</summary>
    public SocketHandshake Handshake { get; }

    /// <summary>Free-form data kept with the socket; it travels with <c>FetchSocketsAsync</c>.</summary>
    /// <remarks>Created on first use: most sockets never touch it, and an idle connection should cost little.</remarks>
    public ConcurrentDictionary<string, object?> Data
    {
        get
        {
            var data = System.Threading.Volatile.Read(ref _data);
            return data ?? Interlocked.CompareExchange(ref _data, new ConcurrentDictionary<string, object?>(StringComparer.Ordinal), null) ?? _data!;
        }
    }

    /// <summary>The underlying Engine.IO connection (shared by the client's sockets of every namespace).</summary>
    public EngineSocket Connection => _client.Engine;

    /// <summary>The current transport: <c>polling</c> or <c>websocket</c>.</summary>
    public string Transport => _client.Engine.TransportName;

    /// <summary>Whether this socket was restored by connection state recovery.</summary>
    public bool Recovered { get; internal set; }

    private SocketIOServer Server => Namespace.Server;

    /// <summary>Sends an event to this client. Never waits: the packet joins the connection's bounded queue.</summary>
    /// <returns><see langword="false"/> when the connection is closed or its queue is full (it is then closed).</returns>
    /// <exception cref="ArgumentException">The event name is reserved.</exception>
    public bool Emit(string eventName, params object?[] args)
    {
        ThrowIfReserved(eventName);
        ArgumentNullException.ThrowIfNull(args);
        if (Server.RecoveryStore is not null)
        {
            // As in the reference server, with recovery on a direct emit goes through the log (to the socket's own
            // room) so that it gets an offset and can be replayed.
            var pending = Namespace.Operator.To(Id).EmitAsync(eventName, args);
            if (!pending.IsCompletedSuccessfully)
            {
                _ = pending.AsTask();
            }

            return Connected;
        }

        return Send(EncodedPacket.Event(Namespace.Name, eventName, args, null, Server.JsonOptions), eventName, args, isVolatile: false);
    }

    /// <summary>
    /// Sends an event to this client; the same as <see cref="Emit"/>, for code that treats local and remote
    /// recipients alike.
    /// </summary>
    public ValueTask EmitAsync(string eventName, params object?[] args)
    {
        Emit(eventName, args);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends the <c>message</c> event.</summary>
    public bool Send(params object?[] args) => Emit("message", args);

    /// <summary>An emitter whose packets are dropped rather than queued when the transport is busy.</summary>
    public SocketEmitter Volatile => new(this, isVolatile: true, timeout: null);

    /// <summary>An emitter whose <see cref="SocketEmitter.EmitWithAckAsync(string, object?[])"/> waits at most <paramref name="timeout"/>.</summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(this, isVolatile: false, timeout);

    internal bool Send(EncodedPacket packet, string eventName, object?[] args, bool isVolatile)
    {
        NotifyOutgoing(eventName, args);
        Namespace.Metrics.EventsSent(Namespace.Name, 1);
        return isVolatile ? _client.Engine.SendVolatile(packet.Frames) : _client.Engine.Send(packet.Frames);
    }

    /// <summary>Delivers a broadcast packet (already encoded once for every recipient).</summary>
    internal void Deliver(BroadcastPacket packet, bool isVolatile)
    {
        // While a recovered socket's replay is read, live packets wait behind it (see RestoreAsync).
        if (System.Threading.Volatile.Read(ref _held) is { } held)
        {
            lock (held)
            {
                if (_held == held)
                {
                    held.Add((packet, isVolatile));
                    return;
                }
            }
        }

        if (_replayedUpTo is not null && IsAlreadyReplayed(packet))
        {
            return;
        }

        DeliverNow(packet, isVolatile);
    }

    private void DeliverNow(BroadcastPacket packet, bool isVolatile)
    {
        // Counted once per broadcast by the adapter, not here per recipient.
        NotifyOutgoing(packet.EventName, packet.Args);
        // Posted: the broadcast moves on to its next recipient while the thread pool writes this one's frames.
        var frames = packet.Encoded.Frames;
        _ = isVolatile ? _client.Engine.SendVolatile(frames, WriteMode.Posted) : _client.Engine.Send(frames, WriteMode.Posted);
    }

    internal void SendControl(EncodedPacket packet) => _client.Engine.Send(packet.Frames);

    internal RemoteSocket ToRemoteSocket() =>
        new(Namespace, Id, Handshake, Rooms, new Dictionary<string, object?>(Data, StringComparer.Ordinal), this);

    internal static void ThrowIfReserved(string eventName)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (SocketReservedEventNames.IsReserved(eventName))
        {
            throw new ArgumentException($"'{eventName}' is a reserved event name and cannot be emitted.", nameof(eventName));
        }
    }

    internal static string GenerateId()
    {
        Span<byte> random = stackalloc byte[15];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
