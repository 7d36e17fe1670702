namespace Sockeye;

/// <summary>Emits to one socket with modifiers (<see cref="Socket.Volatile"/>, <see cref="Socket.Timeout"/>).</summary>
public readonly struct SocketEmitter
{
    private readonly Socket _socket;
    private readonly bool _volatile;
    private readonly TimeSpan? _timeout;

    internal SocketEmitter(Socket socket, bool isVolatile, TimeSpan? timeout)
    {
        _socket = socket;
        _volatile = isVolatile;
        _timeout = timeout;
    }

    /// <summary>Adds a timeout for acknowledgements.</summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(_socket, _volatile, timeout);

    /// <summary>Sends an event.</summary>
    public ValueTask EmitAsync(string eventName, params object?[] args)
    {
        Socket.ThrowIfReserved(eventName);
        ArgumentNullException.ThrowIfNull(args);
        _socket.Send(EncodedPacket.Event(_socket.Namespace.Name, eventName, args, null, _socket.Namespace.Server.JsonOptions), eventName, args, _volatile);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends an event and waits for the client's acknowledgement.</summary>
    /// <exception cref="AckTimeoutException">No acknowledgement within the timeout.</exception>
    /// <exception cref="SocketDisconnectedException">The socket disconnected first.</exception>
    public Task<SocketArguments> EmitWithAckAsync(string eventName, params object?[] args) =>
        _socket.EmitWithAckCoreAsync(eventName, args, _timeout, _volatile, CancellationToken.None);

    /// <summary>As <see cref="EmitWithAckAsync(string, object?[])"/>, with cancellation.</summary>
    public Task<SocketArguments> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        _socket.EmitWithAckCoreAsync(eventName, args, _timeout, _volatile, cancellationToken);
}
