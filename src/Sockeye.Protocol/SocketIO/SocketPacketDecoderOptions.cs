namespace Sockeye.Protocol.SocketIO;

/// <summary>Limits applied by a <see cref="SocketPacketDecoder"/>.</summary>
public sealed class SocketPacketDecoderOptions
{
    /// <summary>The default of <see cref="MaxAttachments"/>, the same as socket.io-parser.</summary>
    public const int DefaultMaxAttachments = 10;

    /// <summary>
    /// The largest attachment count a binary packet may announce.
    /// </summary>
    /// <remarks>
    /// Defaults to <see cref="DefaultMaxAttachments"/> (10). A packet announcing more is rejected with a
    /// <see cref="SocketProtocolException"/> before anything is buffered, so a peer cannot make the server hold an
    /// unbounded number of pending buffers (socket.io-parser <c>maxAttachments</c>, CVE-2026-33151). The size of each
    /// attachment is bounded by the Engine.IO message size limit.
    /// </remarks>
    public int MaxAttachments { get; set; } = DefaultMaxAttachments;
}
