using System.Buffers;
using System.Text.Json;
using Sockeye.Diagnostics;
using Sockeye.Protocol.SocketIO;
using Sockeye.Recovery;

namespace Sockeye.Adapters;

/// <summary>
/// The adapter of a single process: rooms indexed both ways under one lock, broadcasts delivered directly. Cluster
/// adapters derive from it and add the bus.
/// </summary>
public class InMemoryAdapter : ISocketAdapter
{
    // One lock guards both indexes, so a room emptied by a leave is removed atomically with respect to a
    // concurrent join of the same room: a join never adds a socket to a set that is being dropped.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RoomSet> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoomSet> _sids = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter of a namespace.</summary>
    public InMemoryAdapter(SocketNamespace nsp)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        Namespace = nsp;
    }

    /// <summary>The namespace whose sockets this adapter indexes.</summary>
    protected SocketNamespace Namespace { get; }

    /// <summary>The server's serializer options (with the binary-attachment converters), for encoding arguments.</summary>
    protected JsonSerializerOptions SerializerOptions => Namespace.Server.JsonOptions;

    /// <inheritdoc/>
    public virtual void AddAll(string socketId, IEnumerable<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        lock (_lock)
        {
            if (!_sids.TryGetValue(socketId, out var own))
            {
                own = new RoomSet();
                _sids[socketId] = own;
            }

            foreach (var room in rooms)
            {
                if (!own.Add(room))
                {
                    continue;
                }

                if (!_rooms.TryGetValue(room, out var members))
                {
                    members = new RoomSet();
                    _rooms[room] = members;
                    OnRoomCreated(room, IsSocketRoomLocked(room, socketId));
                }

                members.Add(socketId);
            }
        }
    }

    /// <inheritdoc/>
    public virtual void Delete(string socketId, string room)
    {
        lock (_lock)
        {
            if (_sids.TryGetValue(socketId, out var own))
            {
                own.Remove(room);
            }

            RemoveMemberLocked(room, socketId);
        }
    }

    /// <inheritdoc/>
    public virtual void DeleteAll(string socketId)
    {
        lock (_lock)
        {
            if (!_sids.Remove(socketId, out var own))
            {
                return;
            }

            foreach (var room in own)
            {
                RemoveMemberLocked(room, socketId);
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlySet<string> GetSocketRooms(string socketId)
    {
        lock (_lock)
        {
            return _sids.TryGetValue(socketId, out var own) ? new HashSet<string>(own, StringComparer.Ordinal) : new HashSet<string>();
        }
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> GetRooms()
    {
        lock (_lock)
        {
            return [.. _rooms.Keys];
        }
    }

    /// <summary>The number of local members of a room.</summary>
    public int GetRoomSize(string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var members) ? members.Count : 0;
        }
    }

    /// <inheritdoc/>
    public virtual ValueTask BroadcastAsync(BroadcastPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        BroadcastLocal(packet, options);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>When the store cannot keep the packet (a shared store that is unreachable), it is still delivered, without
    /// an offset: clients keep their previous offset and the failure is logged.</remarks>
    public virtual async ValueTask BroadcastRecoverableAsync(BroadcastPacket packet, BroadcastOptions options, IConnectionStateStore store)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(store);
        string offset;
        try
        {
            offset = await store.AppendAsync(packet.Namespace, packet.EventName, packet.Args, options).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SocketIOLog.PacketNotKept(Namespace.Server.Logger, packet.EventName, Namespace.Name, ex);
            await BroadcastAsync(packet, options).ConfigureAwait(false);
            return;
        }

        await BroadcastAsync(packet.WithOffset(offset), options).ConfigureAwait(false);
    }

    /// <summary>Delivers a packet to the matching sockets of this process; returns how many were matched.</summary>
    protected int BroadcastLocal(BroadcastPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        var recipients = Collect(options, out var count);
        try
        {
            var isVolatile = options.Flags.Volatile;
            for (var i = 0; i < count; i++)
            {
                recipients[i].Deliver(packet, isVolatile);
            }

            Namespace.Server.Metrics.EventsSent(Namespace.Name, count);
            return count;
        }
        finally
        {
            ArrayPool<Socket>.Shared.Return(recipients, clearArray: true);
        }
    }

    /// <inheritdoc/>
    public virtual async Task<IReadOnlyList<SocketArguments>> BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var collector = new AckCollector();
        BroadcastLocalWithAck(packet, options, collector.Expect, collector.Add);
        return await collector.WaitAsync(packet.EventName, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivers a packet with an acknowledgement id to the matching sockets of this process. <paramref name="onRecipients"/>
    /// learns their number before any of them can answer; <paramref name="onAck"/> receives each answer.
    /// </summary>
    /// <returns>The number of recipients.</returns>
    protected int BroadcastLocalWithAck(BroadcastPacket packet, BroadcastOptions options, Action<int> onRecipients, Action<SocketArguments> onAck)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onRecipients);
        ArgumentNullException.ThrowIfNull(onAck);
        var ackId = packet.AckId ?? throw new ArgumentException("A broadcast with acknowledgements needs an ack id.", nameof(packet));
        var recipients = Collect(options, out var count);
        try
        {
            onRecipients(count);
            for (var i = 0; i < count; i++)
            {
                var socket = recipients[i];
                socket.RegisterAck(ackId, onAck);
                socket.Deliver(packet, options.Flags.Volatile);
            }

            Namespace.Server.Metrics.EventsSent(Namespace.Name, count);
            return count;
        }
        finally
        {
            ArrayPool<Socket>.Shared.Return(recipients, clearArray: true);
        }
    }

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var recipients = Collect(options, out var count);
        try
        {
            var result = new RemoteSocket[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = recipients[i].ToRemoteSocket();
            }

            return ValueTask.FromResult<IReadOnlyList<RemoteSocket>>(result);
        }
        finally
        {
            ArrayPool<Socket>.Shared.Return(recipients, clearArray: true);
        }
    }

    /// <inheritdoc/>
    public virtual ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        ForEach(options, socket => socket.Join(rooms));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public virtual ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        ForEach(options, socket =>
        {
            foreach (var room in rooms)
            {
                socket.Leave(room);
            }
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public virtual ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        ForEach(options, socket => socket.Disconnect(close));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public virtual ValueTask<int> ServerCountAsync() => ValueTask.FromResult(1);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyCollection<string>> AllRoomsAsync() => ValueTask.FromResult(GetRooms());

    /// <inheritdoc/>
    /// <remarks>In one process there is no other server: nothing is sent.</remarks>
    public virtual ValueTask ServerSideEmitAsync(string eventName, object?[] args) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    /// <remarks>In one process there is no other server: the answer is an empty list, at once.</remarks>
    public virtual Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SocketArguments>>([]);

    /// <summary>
    /// Builds a packet for the sockets of this process from values received from another server (plain trees of
    /// dictionaries, lists, strings, numbers, booleans, <see langword="null"/> and <c>byte[]</c>); it is encoded once,
    /// on first delivery.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="withAck">Whether to give the packet a fresh acknowledgement id of this namespace.</param>
    protected BroadcastPacket CreatePacket(string eventName, object?[] args, bool withAck) =>
        new(Namespace.Name, eventName, args, withAck ? Namespace.NextAckId() : null, Namespace.Server.JsonOptions);

    /// <summary>Wraps values received from another server as arguments that handlers read like a client's.</summary>
    /// <param name="values">Plain trees, as for <see cref="CreatePacket"/>; <c>byte[]</c> leaves become binary arguments.</param>
    protected SocketArguments CreateArguments(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var options = Namespace.Server.JsonOptions;
        if (values.Count == 0)
        {
            return new SocketArguments([], [], options);
        }

        // Serialized once to JSON, binary values becoming attachments, so they read exactly as a client's would.
        var attachments = new List<ReadOnlyMemory<byte>>();
        byte[] json;
        using (SocketJson.Capture(attachments))
        {
            json = JsonSerializer.SerializeToUtf8Bytes(values, options.GetTypeInfo(typeof(IReadOnlyList<object?>)));
        }

        using var document = JsonDocument.Parse(json);
        return SocketArguments.FromArray(document.RootElement.Clone(), 0, attachments, options);
    }

    /// <summary>Runs this namespace's <c>OnServerSideEmit</c> handlers for an event sent by another server.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="ack">Receives the first answer of a handler, when the sender waits for one.</param>
    protected void DispatchServerSideEmit(string eventName, SocketArguments args, Action<object?>? ack) =>
        Namespace.DispatchServerSideEmit(eventName, args, ack);

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Called when a room gets its first local member. It runs under the adapter's lock, so calls come in the order
    /// rooms are created and deleted: an override must only record the change (for example, queue a subscription),
    /// never block nor call back into the adapter.
    /// </summary>
    /// <param name="room">The room.</param>
    /// <param name="isSocketRoom">Whether it is the private room named after a local socket's id.</param>
    protected virtual void OnRoomCreated(string room, bool isSocketRoom)
    {
    }

    /// <summary>Called when a room loses its last local member; under the lock, like <see cref="OnRoomCreated"/>.</summary>
    /// <param name="room">The room.</param>
    /// <param name="isSocketRoom">Whether it is the private room named after a local socket's id.</param>
    protected virtual void OnRoomDeleted(string room, bool isSocketRoom)
    {
    }

    /// <summary>Runs an action on every matching local socket (outside the lock).</summary>
    protected void ForEach(BroadcastOptions options, Action<Socket> action)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(action);
        var recipients = Collect(options, out var count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                action(recipients[i]);
            }
        }
        finally
        {
            ArrayPool<Socket>.Shared.Return(recipients, clearArray: true);
        }
    }

    /// <summary>
    /// Resolves the local recipients into a pooled array (returned by the caller). Done under the lock so the result
    /// is a consistent snapshot; delivery happens outside it so a slow send never blocks joins and leaves.
    /// </summary>
    private Socket[] Collect(BroadcastOptions options, out int count)
    {
        count = 0;
        lock (_lock)
        {
            var except = ResolveExceptLocked(options.Except);
            Socket[] buffer;
            if (options.Rooms.Count == 0)
            {
                buffer = ArrayPool<Socket>.Shared.Rent(Math.Max(_sids.Count, 16));
                foreach (var id in _sids.Keys)
                {
                    Add(ref buffer, ref count, id, except);
                }

                return buffer;
            }

            if (options.SingleRoom is { } single)
            {
                if (!_rooms.TryGetValue(single, out var members))
                {
                    return ArrayPool<Socket>.Shared.Rent(1);
                }

                buffer = ArrayPool<Socket>.Shared.Rent(members.Count);
                foreach (var id in members)
                {
                    Add(ref buffer, ref count, id, except);
                }

                return buffer;
            }

            // Several rooms: each socket receives once however many of the rooms it is in.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            buffer = ArrayPool<Socket>.Shared.Rent(16);
            foreach (var room in options.Rooms)
            {
                if (!_rooms.TryGetValue(room, out var members))
                {
                    continue;
                }

                foreach (var id in members)
                {
                    if (seen.Add(id))
                    {
                        Add(ref buffer, ref count, id, except);
                    }
                }
            }

            return buffer;
        }
    }

    private void Add(ref Socket[] buffer, ref int count, string id, HashSet<string>? except)
    {
        if (except is not null && except.Contains(id))
        {
            return;
        }

        if (!Namespace.TryGetSocket(id, out var socket))
        {
            return;
        }

        if (count == buffer.Length)
        {
            var next = ArrayPool<Socket>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, count).CopyTo(next);
            ArrayPool<Socket>.Shared.Return(buffer, clearArray: true);
            buffer = next;
        }

        buffer[count++] = socket;
    }

    private HashSet<string>? ResolveExceptLocked(IReadOnlySet<string> exceptRooms)
    {
        if (exceptRooms.Count == 0)
        {
            return null;
        }

        var except = new HashSet<string>(StringComparer.Ordinal);
        foreach (var room in exceptRooms)
        {
            if (_rooms.TryGetValue(room, out var members))
            {
                foreach (var id in members)
                {
                    except.Add(id);
                }
            }
        }

        return except;
    }

    private bool IsSocketRoomLocked(string room, string socketId) => room == socketId || _sids.ContainsKey(room);

    private void RemoveMemberLocked(string room, string socketId)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(socketId) && members.Count == 0)
        {
            _rooms.Remove(room);
            OnRoomDeleted(room, IsSocketRoomLocked(room, socketId));
        }
    }
}
