namespace Sockeye;

/// <summary>
/// Thrown by connection middleware to refuse a socket: the client receives <c>connect_error</c> with
/// <see cref="Exception.Message"/> and <see cref="ErrorData"/>.
/// </summary>
public sealed class ConnectionRejectedException : Exception
{
    /// <summary>Refuses the connection with a message.</summary>
    public ConnectionRejectedException(string message) : base(message)
    {
    }

    /// <summary>Refuses the connection with a message and details the client can read as <c>err.data</c>.</summary>
    public ConnectionRejectedException(string message, object? data) : base(message)
    {
        ErrorData = data;
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public ConnectionRejectedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Details serialized as the <c>data</c> field of the CONNECT_ERROR packet.</summary>
    public object? ErrorData { get; }
}
