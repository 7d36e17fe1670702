using Sockeye.Protocol.SocketIO;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

/// <summary>
/// The recipients of an emitter's broadcast: immutable, every method returns a new operator, like
/// <see cref="BroadcastOperator"/> on a server.
/// </summary>
public sealed class SocketIOEmitterOperator
{
    private readonly SocketIOEmitter _emitter;
    private readonly string[] _rooms;
    private readonly string[] _except;
    private readonly Dictionary<string, object?> _flags;

    internal SocketIOEmitterOperator(SocketIOEmitter emitter, string[] rooms, string[] except, Dictionary<string, object?> flags)
    {
        _emitter = emitter;
        _rooms = rooms;
        _except = except;
        _flags = flags;
    }

    /// <summary>Targets the members of a room (in addition to rooms already targeted).</summary>
    public SocketIOEmitterOperator To(string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return _rooms.Contains(room) ? this : new(_emitter, [.. _rooms, room], _except, _flags);
    }

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public SocketIOEmitterOperator In(string room) => To(room);

    /// <summary>Leaves out the members of a room.</summary>
    public SocketIOEmitterOperator Except(string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return _except.Contains(room) ? this : new(_emitter, _rooms, [.. _except, room], _flags);
    }

    /// <summary>Recipients whose transport is busy do not get the packet.</summary>
    public SocketIOEmitterOperator Volatile => WithFlag("volatile", true);

    /// <summary>Whether the packet may be compressed.</summary>
    public SocketIOEmitterOperator Compress(bool compress) => WithFlag("compress", compress);

    /// <summary>Sends an event to the matching clients of every server.</summary>
    /// <exception cref="ArgumentException">The event name is reserved (<c>connect</c>, <c>disconnect</c>, ...).</exception>
    public Task EmitAsync(string eventName, params object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(args);
        if (SocketReservedEventNames.IsReserved(eventName))
        {
            throw new ArgumentException($"'{eventName}' is a reserved event name.", nameof(eventName));
        }

        var packet = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["type"] = 2L,
            ["data"] = (object?[])[eventName, .. WireValues.FromObjects(args, _emitter.JsonOptions)],
            ["nsp"] = _emitter.Namespace,
        };

        // The emitter's key order: rooms, flags, except.
        var opts = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["rooms"] = _rooms,
            ["flags"] = _flags,
            ["except"] = _except,
        };
        var message = Notepack.Encode(new object?[] { SocketIOEmitter.EmitterUid, packet, opts });
        var channel = RedisChannel.Literal(_rooms.Length == 1 ? _emitter.BroadcastPrefix + _rooms[0] + "#" : _emitter.BroadcastPrefix);
        return _emitter.PublishAsync(channel, message);
    }

    /// <summary>Makes the matching sockets of every server join rooms.</summary>
    public Task SocketsJoinAsync(params string[] rooms) => RoomsRequestAsync(RequestType.RemoteJoin, "rooms", rooms);

    /// <summary>Makes the matching sockets of every server leave rooms.</summary>
    public Task SocketsLeaveAsync(params string[] rooms) => RoomsRequestAsync(RequestType.RemoteLeave, "rooms", rooms);

    /// <summary>Disconnects the matching sockets of every server; with <paramref name="close"/>, their whole connections.</summary>
    public Task DisconnectSocketsAsync(bool close = false) => RoomsRequestAsync(RequestType.RemoteDisconnect, "close", close);

    private Task RoomsRequestAsync(int type, string key, object value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // No uid: every server, including those of the sender's own process, applies it.
        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["type"] = (long)type,
            ["opts"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["rooms"] = _rooms, ["except"] = _except },
            [key] = value,
        };
        return _emitter.PublishAsync(_emitter.RequestChannel, WireValues.EncodeMessage(request));
    }

    private SocketIOEmitterOperator WithFlag(string name, bool value) =>
        new(_emitter, _rooms, _except, new Dictionary<string, object?>(_flags, StringComparer.Ordinal) { [name] = value });
}
