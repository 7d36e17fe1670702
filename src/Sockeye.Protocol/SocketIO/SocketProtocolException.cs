namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// Raised when a message received from a peer is not a valid Socket.IO packet, or arrives when the decoder does not
/// expect it. The reference server closes the whole Engine.IO connection in that case (<c>client.ts</c> onerror).
/// </summary>
public sealed class SocketProtocolException : FormatException
{
    /// <summary>Creates the exception with a message that names what was wrong.</summary>
    /// <param name="message">What was wrong with the input.</param>
    public SocketProtocolException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names what was wrong and the error that revealed it.</summary>
    /// <param name="message">What was wrong with the input.</param>
    /// <param name="innerException">The error raised while reading the input, such as a JSON syntax error.</param>
    public SocketProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
