namespace Sockeye.LoadGenerator.Transport;

/// <summary>What a scenario does with the records its connections receive. Called from each connection's single
/// receive loop, so calls for one connection never overlap.</summary>
internal interface IRecordHandler
{
    /// <summary>An ack or completion for the request with this id.</summary>
    ValueTask OnAckAsync(WsConnection connection, long ackId);

    /// <summary>A server-to-client event; the record is only valid during the call.</summary>
    void OnEvent(WsConnection connection, ReadOnlySpan<byte> record);
}
