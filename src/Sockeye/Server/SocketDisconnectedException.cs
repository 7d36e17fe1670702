namespace Sockeye;

/// <summary>The socket disconnected before the acknowledgement arrived.</summary>
public sealed class SocketDisconnectedException : Exception
{
    /// <summary>Creates the exception with the disconnect reason.</summary>
    public SocketDisconnectedException(string reason) : base($"the socket disconnected ({reason}) before acknowledging")
    {
        Reason = reason;
    }

    /// <summary>One of <see cref="SocketDisconnectReasons"/>.</summary>
    public string Reason { get; } = string.Empty;
}
