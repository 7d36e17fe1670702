namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// What the soak's clients did and what went wrong, counted from every client at once (fields are updated with
/// <see cref="Interlocked"/>). Drops the soak made on purpose, and the requests it abandoned with them, are counted
/// apart: they are expected, not errors.
/// </summary>
internal sealed class SoakCounters
{
    /// <summary>Sessions opened and connected to the main namespace.</summary>
    public long Connects;

    /// <summary>Sessions that could not be opened or were refused.</summary>
    public long ConnectFailures;

    /// <summary>Clean disconnects the server completed.</summary>
    public long Disconnects;

    /// <summary>Clean disconnects the server did not complete within five seconds.</summary>
    public long CloseTimeouts;

    /// <summary>Connections cut on purpose, without a close.</summary>
    public long Drops;

    /// <summary>Requests sent just before a drop, whose ack nobody waits for.</summary>
    public long AbandonedByDrops;

    /// <summary>Requests with an ack id on a live session (echo, join, publish).</summary>
    public long Requests;

    /// <summary>Acks received for them.</summary>
    public long Acks;

    /// <summary>Requests whose ack never came: timed out, or the session was lost under them.</summary>
    public long LostAcks;

    /// <summary>Echo acks that did not carry back what was sent.</summary>
    public long EchoMismatches;

    /// <summary>Publishes the server acknowledged.</summary>
    public long Publishes;

    /// <summary>Room messages received by any client.</summary>
    public long Deliveries;

    /// <summary>Room messages a listener received more than once.</summary>
    public long DuplicateDeliveries;

    /// <summary>Sessions the server or the network ended while the client still used them.</summary>
    public long UnexpectedDisconnects;

    /// <summary>Everything that should not happen, each kind counted.</summary>
    public long Errors =>
        Interlocked.Read(ref ConnectFailures) + Interlocked.Read(ref CloseTimeouts) + Interlocked.Read(ref LostAcks)
        + Interlocked.Read(ref EchoMismatches) + Interlocked.Read(ref DuplicateDeliveries) + Interlocked.Read(ref UnexpectedDisconnects);
}
