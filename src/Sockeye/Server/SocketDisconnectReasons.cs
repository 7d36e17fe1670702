using Sockeye.Engine;

namespace Sockeye;

/// <summary>Why a socket left its namespace. The strings are the reference server's.</summary>
public static class SocketDisconnectReasons
{
    /// <summary>The client disconnected this namespace (<c>socket.disconnect()</c> on the client).</summary>
    public const string ClientNamespaceDisconnect = "client namespace disconnect";

    /// <summary>The server disconnected this socket (<see cref="Socket.Disconnect(bool)"/>).</summary>
    public const string ServerNamespaceDisconnect = "server namespace disconnect";

    /// <summary>The client closed the connection.</summary>
    public const string TransportClose = EngineCloseReasons.TransportClose;

    /// <summary>The connection failed.</summary>
    public const string TransportError = EngineCloseReasons.TransportError;

    /// <summary>The client stopped answering pings.</summary>
    public const string PingTimeout = EngineCloseReasons.PingTimeout;

    /// <summary>The client sent an invalid packet.</summary>
    public const string ParseError = EngineCloseReasons.ParseError;

    /// <summary>The server closed the connection.</summary>
    public const string ForcedClose = EngineCloseReasons.ForcedClose;

    /// <summary>The server is stopping.</summary>
    public const string ServerShuttingDown = EngineCloseReasons.ServerShuttingDown;
}
