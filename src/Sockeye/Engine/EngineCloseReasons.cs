namespace Sockeye.Engine;

/// <summary>
/// Why an Engine.IO session closed. The strings are the reference server's, so code ported from Node can keep
/// comparing them.
/// </summary>
public static class EngineCloseReasons
{
    /// <summary>The client closed the transport (closed the WebSocket or sent a <c>close</c> packet).</summary>
    public const string TransportClose = "transport close";

    /// <summary>The transport failed: overlapping or aborted requests, oversize data, a protocol violation.</summary>
    public const string TransportError = "transport error";

    /// <summary>No <c>pong</c> arrived within <c>pingTimeout</c> after a <c>ping</c>.</summary>
    public const string PingTimeout = "ping timeout";

    /// <summary>The client sent bytes that are not a valid packet.</summary>
    public const string ParseError = "parse error";

    /// <summary>The server closed the session.</summary>
    public const string ForcedClose = "forced close";

    /// <summary>The host is stopping.</summary>
    public const string ServerShuttingDown = "server shutting down";

    /// <summary>
    /// The session's outbound queue reached <see cref="EngineOptions.MaxOutboundPackets"/>: the client reads slower than
    /// the server writes. Closing it protects the memory of every other session.
    /// </summary>
    public const string OutboundQueueFull = "outbound queue full";
}
