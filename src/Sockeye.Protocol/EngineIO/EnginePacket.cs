namespace Sockeye.Protocol.EngineIO;

/// <summary>
/// One decoded Engine.IO packet. <see cref="Data"/> points into the buffer it was decoded from
/// (or into a decoder-owned buffer for base64 records), so it is only valid until that buffer is reused.
/// </summary>
/// <param name="Type">The packet type.</param>
/// <param name="Data">The UTF-8 text after the type digit, or the raw bytes of a binary message.</param>
/// <param name="IsBinary">Whether this is a binary message (a binary WebSocket frame or a <c>b</c> polling record).</param>
public readonly record struct EnginePacket(EnginePacketType Type, ReadOnlyMemory<byte> Data, bool IsBinary)
{
    /// <summary>Creates a text packet.</summary>
    public static EnginePacket Text(EnginePacketType type, ReadOnlyMemory<byte> data) => new(type, data, false);

    /// <summary>Creates a binary message packet.</summary>
    public static EnginePacket Binary(ReadOnlyMemory<byte> data) => new(EnginePacketType.Message, data, true);
}
