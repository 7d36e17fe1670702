using System.Text.Json;

namespace Sockeye.Adapters;

/// <summary>
/// An event to broadcast. The wire form is encoded on first use and then shared by every recipient, so a broadcast
/// to ten thousand sockets encodes once, and a broadcast that reaches nobody encodes never.
/// </summary>
public sealed class BroadcastPacket
{
    private readonly JsonSerializerOptions _options;
    private EncodedPacket? _encoded;

    internal BroadcastPacket(string nsp, string eventName, object?[] args, long? ackId, JsonSerializerOptions options)
    {
        Namespace = nsp;
        EventName = eventName;
        Args = args;
        AckId = ackId;
        _options = options;
    }

    /// <summary>The namespace.</summary>
    public string Namespace { get; }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>The arguments, as given to the emit.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>The acknowledgement id shared by all recipients, for broadcasts with acknowledgements.</summary>
    public long? AckId { get; }

    /// <summary>The same event with a connection state recovery offset as its last argument.</summary>
    internal BroadcastPacket WithOffset(string offset) => new(Namespace, EventName, [.. Args, offset], AckId, _options);

    internal EncodedPacket Encoded
    {
        get
        {
            var encoded = Volatile.Read(ref _encoded);
            if (encoded is null)
            {
                encoded = EncodedPacket.Event(Namespace, EventName, (object?[])Args, AckId, _options);

                // Two threads may race to encode; both results are identical and the loser's is dropped.
                encoded = Interlocked.CompareExchange(ref _encoded, encoded, null) ?? encoded;
            }

            return encoded;
        }
    }
}
