using System.Text.Json;

namespace Sockeye;

/// <summary>Answers an event's acknowledgement callback; the first call sends, later calls do nothing.</summary>
/// <param name="args">The values the client's callback receives.</param>
public delegate Task AckCallback(params object?[] args);

/// <summary>An event received from a client: its name, arguments and acknowledgement callback.</summary>
public sealed class SocketEventContext : SocketArguments
{
    private readonly long? _ackId;
    private int _acked;

    internal SocketEventContext(Socket socket, string eventName, long? ackId, IReadOnlyList<JsonElement> args, IReadOnlyList<ReadOnlyMemory<byte>> attachments, JsonSerializerOptions options)
        : base(args, attachments, options)
    {
        Socket = socket;
        EventName = eventName;
        _ackId = ackId;
    }

    /// <summary>The socket that sent the event.</summary>
    public Socket Socket { get; }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>Whether the client asked for an acknowledgement.</summary>
    public bool HasAck => _ackId.HasValue;

    /// <summary>Whether the acknowledgement was already sent.</summary>
    public bool IsAcknowledged => Volatile.Read(ref _acked) != 0;

    /// <summary>The acknowledgement as a delegate, for handlers written as <c>(message, ack) =&gt; ...</c>.</summary>
    public AckCallback Ack => AckAsync;

    /// <summary>
    /// Sends the acknowledgement with <paramref name="args"/>. An acknowledgement fires at most once; without a
    /// client callback this does nothing.
    /// </summary>
    public Task AckAsync(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (_ackId is not { } id || Interlocked.Exchange(ref _acked, 1) != 0)
        {
            return Task.CompletedTask;
        }

        Socket.SendAck(id, args);
        return Task.CompletedTask;
    }
}
