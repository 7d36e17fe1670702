namespace Sockeye.Engine;

/// <summary>The error codes of a refused Engine.IO HTTP request, as the reference server numbers them.</summary>
public enum EngineErrorCode
{
    /// <summary><c>Transport unknown</c>: missing, unknown or disabled transport.</summary>
    UnknownTransport = 0,

    /// <summary><c>Session ID unknown</c>: the sid does not name an open session.</summary>
    UnknownSid = 1,

    /// <summary><c>Bad handshake method</c>: a handshake that is not a GET.</summary>
    BadHandshakeMethod = 2,

    /// <summary><c>Bad request</c>: transport mismatch, WebSocket transport without an upgrade, bad origin.</summary>
    BadRequest = 3,

    /// <summary><c>Forbidden</c>: <see cref="EngineOptions.AllowRequest"/> refused the request.</summary>
    Forbidden = 4,

    /// <summary><c>Unsupported protocol version</c>: <c>EIO</c> is not 4.</summary>
    UnsupportedProtocolVersion = 5,
}
