namespace Sockeye.Recovery;

/// <summary>
/// Connection state recovery: a client that reconnects within <see cref="MaxDisconnectionDuration"/> gets back its
/// socket id, rooms and data, and the events it missed. Off unless <see cref="SocketIOOptions.ConnectionStateRecovery"/>
/// is set.
/// </summary>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>How long a disconnected session and the packets it may miss are kept. Default 2 minutes.</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether a recovered socket skips the connection middleware. Default <see langword="true"/>.</summary>
    public bool SkipMiddlewares { get; set; } = true;

    /// <summary>
    /// The most packets a store keeps per namespace (the oldest go first; the Redis store trims whole stream nodes, so
    /// up to about 100 more may stay). Default 10,000.
    /// </summary>
    /// <remarks>In memory each kept packet costs its arguments plus about 200 bytes of bookkeeping; in Redis its
    /// MessagePack arguments plus about 55 bytes. A client whose offset has been dropped reconnects as a new socket
    /// (<c>recovered</c> false) and the application fills the gap itself (docs/connection-state-recovery.md).</remarks>
    public int MaxPackets { get; set; } = 10_000;
}
