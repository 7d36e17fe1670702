namespace Sockeye.Protocol.EngineIO;

/// <summary>Raised when bytes received from a peer are not a valid Engine.IO packet or payload.</summary>
public sealed class EngineProtocolException : FormatException
{
    /// <summary>Creates the exception with a message that names what was wrong.</summary>
    public EngineProtocolException(string message) : base(message)
    {
    }
}
