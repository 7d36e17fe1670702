namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>
/// The parts of a text packet before its JSON payload: <c>&lt;type&gt;[&lt;n&gt;-][&lt;nsp&gt;,][&lt;ackId&gt;]</c>.
/// </summary>
/// <param name="Type">The packet type.</param>
/// <param name="Attachments">The announced attachment count; 0 for non-binary types.</param>
/// <param name="NamespaceStart">Where the namespace starts in the packet, or -1 when absent (meaning <c>/</c>).</param>
/// <param name="NamespaceLength">The length of the namespace in bytes, without the comma.</param>
/// <param name="AckId">The ack id, or <see langword="null"/>.</param>
/// <param name="PayloadStart">Where the JSON payload starts; equal to the packet length when there is none.</param>
internal readonly record struct SocketPacketHeader(
    SocketPacketType Type,
    int Attachments,
    int NamespaceStart,
    int NamespaceLength,
    long? AckId,
    int PayloadStart);
