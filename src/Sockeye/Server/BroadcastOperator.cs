using System.Collections.Immutable;
using Sockeye.Adapters;

namespace Sockeye;

/// <summary>
/// An immutable description of recipients: every method returns a new operator, so one can be kept and reused.
/// Obtained from <see cref="SocketNamespace.To(string)"/>, <see cref="Socket.Broadcast"/> and their siblings.
/// </summary>
public sealed class BroadcastOperator
{
    private static readonly ImmutableHashSet<string> s_empty = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private readonly SocketNamespace _nsp;
    private readonly ImmutableHashSet<string> _rooms;
    private readonly ImmutableHashSet<string> _except;
    private readonly BroadcastFlags _flags;
    private BroadcastOptions? _options;

    internal BroadcastOperator(SocketNamespace nsp)
        : this(nsp, s_empty, s_empty, new BroadcastFlags())
    {
    }

    private BroadcastOperator(SocketNamespace nsp, ImmutableHashSet<string> rooms, ImmutableHashSet<string> except, BroadcastFlags flags)
    {
        _nsp = nsp;
        _rooms = rooms;
        _except = except;
        _flags = flags;
    }

    /// <summary>Targets the members of a room (in addition to rooms already targeted).</summary>
    public BroadcastOperator To(string room) => new(_nsp, _rooms.Add(room), _except, _flags);

    /// <summary>Targets the members of several rooms; a socket in several of them receives once.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => new(_nsp, _rooms.Union(rooms), _except, _flags);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Same as <see cref="To(IEnumerable{string})"/>.</summary>
    public BroadcastOperator In(IEnumerable<string> rooms) => To(rooms);

    /// <summary>Leaves out the members of a room (a socket id is a room, so this can exclude one socket).</summary>
    public BroadcastOperator Except(string room) => new(_nsp, _rooms, _except.Add(room), _flags);

    /// <summary>Leaves out the members of several rooms.</summary>
    public BroadcastOperator Except(IEnumerable<string> rooms) => new(_nsp, _rooms, _except.Union(rooms), _flags);

    /// <summary>Only sockets connected to this server, even with a cluster adapter.</summary>
    public BroadcastOperator Local => new(_nsp, _rooms, _except, _flags with { Local = true });

    /// <summary>Recipients whose transport is busy do not get the packet (it is never queued for them).</summary>
    public BroadcastOperator Volatile => new(_nsp, _rooms, _except, _flags with { Volatile = true });

    /// <summary>Whether the packet may be compressed.</summary>
    public BroadcastOperator Compress(bool compress) => new(_nsp, _rooms, _except, _flags with { Compress = compress });

    /// <summary>How long <see cref="EmitWithAckAsync(string, object?[])"/> waits for the acknowledgements.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => new(_nsp, _rooms, _except, _flags with { Timeout = timeout });

    // An operator never changes, so its options are built once however often it emits.
    internal BroadcastOptions Options => _options ??= new BroadcastOptions(_rooms, _except, _flags);

    /// <summary>Sends an event to every recipient. The packet is encoded once whatever their number.</summary>
    /// <exception cref="ArgumentException">The event name is reserved (<c>connect</c>, <c>disconnect</c>, ...).</exception>
    public ValueTask EmitAsync(string eventName, params object?[] args)
    {
        Socket.ThrowIfReserved(eventName);
        ArgumentNullException.ThrowIfNull(args);
        _nsp.Server.Metrics.Broadcast(_nsp.Name);
        var packet = new BroadcastPacket(_nsp.Name, eventName, args, null, _nsp.Server.JsonOptions);

        // With connection state recovery, the adapter keeps the packet in the store first and sends it with its offset.
        return _nsp.Server.RecoveryStore is { } store && !_flags.Volatile
            ? _nsp.Adapter.BroadcastRecoverableAsync(packet, Options, store)
            : _nsp.Adapter.BroadcastAsync(packet, Options);
    }

    /// <summary>
    /// Sends an event to every recipient and waits for each one's acknowledgement (up to <see cref="Timeout"/>, or
    /// until cancelled when no timeout was set).
    /// </summary>
    /// <returns>One answer per recipient.</returns>
    /// <exception cref="AckTimeoutException">Some recipients did not answer in time; the others' answers are in
    /// <see cref="AckTimeoutException.Responses"/>.</exception>
    public Task<IReadOnlyList<SocketArguments>> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckAsync(eventName, args, CancellationToken.None);

    /// <summary>As <see cref="EmitWithAckAsync(string, object?[])"/>, with cancellation.</summary>
    public Task<IReadOnlyList<SocketArguments>> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        Socket.ThrowIfReserved(eventName);
        ArgumentNullException.ThrowIfNull(args);
        var packet = new BroadcastPacket(_nsp.Name, eventName, args, _nsp.NextAckId(), _nsp.Server.JsonOptions);
        return _nsp.Adapter.BroadcastWithAckAsync(packet, Options, _flags.Timeout ?? System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
    }

    /// <summary>Sends the <c>message</c> event.</summary>
    public ValueTask SendAsync(params object?[] args) => EmitAsync("message", args);

    /// <summary>The matching sockets, wherever they are connected.</summary>
    public ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync() => _nsp.Adapter.FetchSocketsAsync(Options);

    /// <summary>Makes the matching sockets join rooms.</summary>
    public ValueTask SocketsJoinAsync(params string[] rooms) => _nsp.Adapter.AddSocketsAsync(Options, rooms);

    /// <summary>Makes the matching sockets leave rooms.</summary>
    public ValueTask SocketsLeaveAsync(params string[] rooms) => _nsp.Adapter.DeleteSocketsAsync(Options, rooms);

    /// <summary>Disconnects the matching sockets; with <paramref name="close"/>, their whole connections.</summary>
    public ValueTask DisconnectSocketsAsync(bool close = false) => _nsp.Adapter.DisconnectSocketsAsync(Options, close);
}
