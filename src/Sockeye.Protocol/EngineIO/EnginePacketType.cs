namespace Sockeye.Protocol.EngineIO;

/// <summary>The Engine.IO v4 packet types; the numeric value is the digit written on the wire.</summary>
public enum EnginePacketType : byte
{
    /// <summary>Server to client: the handshake, carrying the session parameters as JSON.</summary>
    Open = 0,

    /// <summary>Either side: close this transport and the session.</summary>
    Close = 1,

    /// <summary>Server heartbeat (v4); <c>probe</c> from the client during an upgrade.</summary>
    Ping = 2,

    /// <summary>Client heartbeat answer; <c>probe</c> from the server during an upgrade.</summary>
    Pong = 3,

    /// <summary>Application data (Socket.IO packets ride here).</summary>
    Message = 4,

    /// <summary>Client to server on the new transport, completing an upgrade.</summary>
    Upgrade = 5,

    /// <summary>Server to client on polling, to release a pending request during an upgrade.</summary>
    Noop = 6,
}
