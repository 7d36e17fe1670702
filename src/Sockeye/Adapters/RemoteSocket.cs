namespace Sockeye.Adapters;

/// <summary>
/// A socket found by <c>FetchSocketsAsync</c>: a snapshot of its id, handshake, rooms and data, and the operations
/// that work wherever it is connected.
/// </summary>
public sealed class RemoteSocket
{
    private readonly SocketNamespace _nsp;

    /// <summary>Creates the snapshot.</summary>
    public RemoteSocket(SocketNamespace nsp, string id, SocketHandshake? handshake, IReadOnlySet<string> rooms, IReadOnlyDictionary<string, object?> data, Socket? local)
    {
        _nsp = nsp;
        Id = id;
        Handshake = handshake;
        Rooms = rooms;
        Data = data;
        Local = local;
    }

    /// <summary>The socket id.</summary>
    public string Id { get; }

    /// <summary>Its handshake, when known.</summary>
    public SocketHandshake? Handshake { get; }

    /// <summary>Its rooms when fetched.</summary>
    public IReadOnlySet<string> Rooms { get; }

    /// <summary>Its data when fetched.</summary>
    public IReadOnlyDictionary<string, object?> Data { get; }

    /// <summary>The socket itself when it is connected to this server.</summary>
    public Socket? Local { get; }

    /// <summary>Emits to this socket.</summary>
    public ValueTask EmitAsync(string eventName, params object?[] args) => _nsp.To(Id).EmitAsync(eventName, args);

    /// <summary>Makes this socket join rooms.</summary>
    public ValueTask JoinAsync(params string[] rooms) => _nsp.In(Id).SocketsJoinAsync(rooms);

    /// <summary>Makes this socket leave rooms.</summary>
    public ValueTask LeaveAsync(params string[] rooms) => _nsp.In(Id).SocketsLeaveAsync(rooms);

    /// <summary>Disconnects this socket.</summary>
    public ValueTask DisconnectAsync(bool close = false) => _nsp.In(Id).DisconnectSocketsAsync(close);
}
