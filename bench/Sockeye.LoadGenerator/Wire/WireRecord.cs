namespace Sockeye.LoadGenerator.Wire;

/// <summary>What a received record is, as far as the benchmark cares.</summary>
internal enum RecordKind
{
    /// <summary>Nothing the benchmark uses (handshake leftovers, server keep-alives that need no answer).</summary>
    Other,

    /// <summary>A server ping that needs an answer (Engine.IO <c>2</c>).</summary>
    Ping,

    /// <summary>The answer to a request with an id (Socket.IO ack, SignalR completion).</summary>
    Ack,

    /// <summary>A server-to-client event (the fan-out <c>message</c>).</summary>
    Event,

    /// <summary>The server ends the session.</summary>
    Close,
}

/// <summary>One record of a received frame: its kind, the ack id, and where it lies in the receive buffer.</summary>
internal readonly record struct WireRecord(RecordKind Kind, long AckId, int Start, int Length);
