namespace Sockeye.Protocol.SocketIO;

/// <summary>The Socket.IO v5 packet types; the value is the digit that starts a packet on the wire.</summary>
public enum SocketPacketType : byte
{
    /// <summary>Joins a namespace (client to server, optional auth object) or confirms it (server to client, <c>{"sid":...}</c>).</summary>
    Connect = 0,

    /// <summary>Leaves a namespace; carries no payload.</summary>
    Disconnect = 1,

    /// <summary>An event: a non-empty array <c>[name, ...args]</c>.</summary>
    Event = 2,

    /// <summary>The reply to an event that carried an ack id: an array of arguments, possibly empty.</summary>
    Ack = 3,

    /// <summary>A refused namespace connection (server to client): <c>{"message":...,"data"?:...}</c>.</summary>
    ConnectError = 4,

    /// <summary>An <see cref="Event"/> whose arguments contain binary data sent as separate attachments.</summary>
    BinaryEvent = 5,

    /// <summary>An <see cref="Ack"/> whose arguments contain binary data sent as separate attachments.</summary>
    BinaryAck = 6,
}
