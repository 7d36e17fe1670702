using System.Buffers.Text;
using System.Text;
using Sockeye.Protocol.EngineIO;

namespace Sockeye.Engine;

/// <summary>
/// An encoded Engine.IO packet ready to be written. Immutable and shareable: a broadcast creates one instance and
/// queues the same instance on every recipient, so the bytes are encoded once whatever the number of recipients.
/// </summary>
public sealed class OutboundPacket
{
    private byte[]? _base64Record;

    private OutboundPacket(EnginePacketType type, ReadOnlyMemory<byte> encoded, bool isBinary)
    {
        Type = type;
        Encoded = encoded;
        IsBinary = isBinary;
    }

    /// <summary>The packet type.</summary>
    public EnginePacketType Type { get; }

    /// <summary>Whether this is a binary message.</summary>
    public bool IsBinary { get; }

    /// <summary>
    /// The bytes as a WebSocket frame carries them: for text, the type digit and the UTF-8 data (which is also the
    /// polling record); for binary, the raw bytes.
    /// </summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    internal static OutboundPacket Ping { get; } = Text(EnginePacketType.Ping, default);

    internal static OutboundPacket Close { get; } = Text(EnginePacketType.Close, default);

    internal static OutboundPacket Noop { get; } = Text(EnginePacketType.Noop, default);

    /// <summary>
    /// Wraps an already encoded text packet (type digit first) without copying. The caller must not change the bytes
    /// afterwards.
    /// </summary>
    public static OutboundPacket FromEncodedText(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.IsEmpty || (uint)(encoded.Span[0] - '0') > (uint)EnginePacketType.Noop)
        {
            throw new ArgumentException("An encoded text packet starts with its type digit.", nameof(encoded));
        }

        return new OutboundPacket((EnginePacketType)(encoded.Span[0] - '0'), encoded, isBinary: false);
    }

    /// <summary>Creates a text packet of the given type with UTF-8 <paramref name="data"/>.</summary>
    public static OutboundPacket Text(EnginePacketType type, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[data.Length + 1];
        bytes[0] = (byte)('0' + (int)type);
        data.CopyTo(bytes.AsSpan(1));
        return new OutboundPacket(type, bytes, isBinary: false);
    }

    /// <summary>Creates a text message packet from a string.</summary>
    public static OutboundPacket TextMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        bytes[0] = (byte)'4';
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(1));
        return new OutboundPacket(EnginePacketType.Message, bytes, isBinary: false);
    }

    /// <summary>Creates a binary message packet. The bytes are not copied: the caller must not change them afterwards.</summary>
    public static OutboundPacket BinaryMessage(ReadOnlyMemory<byte> data) => new(EnginePacketType.Message, data, isBinary: true);

    /// <summary>The length of this packet as a polling record.</summary>
    internal int PollingLength => IsBinary ? GetBase64Record().Length : Encoded.Length;

    /// <summary>
    /// The record a polling response carries: the text packet as it is, or <c>b</c> + base64 for binary. The base64
    /// form is computed once, on first use, and shared by every polling recipient.
    /// </summary>
    internal ReadOnlySpan<byte> PollingRecord => IsBinary ? GetBase64Record() : Encoded.Span;

    private byte[] GetBase64Record()
    {
        var record = _base64Record;
        if (record is null)
        {
            var data = Encoded.Span;
            record = new byte[Base64.GetMaxEncodedToUtf8Length(data.Length) + 1];
            record[0] = EnginePacketCodec.Base64Marker;
            Base64.EncodeToUtf8(data, record.AsSpan(1), out _, out _);

            // Racing threads compute identical bytes; keeping whichever lands is harmless.
            _base64Record = record;
        }

        return record;
    }
}
