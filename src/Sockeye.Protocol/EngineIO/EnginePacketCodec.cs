using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace Sockeye.Protocol.EngineIO;

/// <summary>
/// Encodes and decodes single Engine.IO v4 packets: a type digit followed by UTF-8 text, or a binary message
/// (raw bytes on WebSocket, <c>b</c> + base64 on polling).
/// </summary>
public static class EnginePacketCodec
{
    /// <summary>The marker of a base64 binary record in a polling payload.</summary>
    public const byte Base64Marker = (byte)'b';

    /// <summary>
    /// Decodes one text packet (a WebSocket text frame or one polling record).
    /// </summary>
    /// <param name="record">The bytes of the packet.</param>
    /// <param name="packet">The decoded packet; for a base64 record its data is a newly allocated array.</param>
    /// <param name="error">Why the record is invalid, when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the record is a valid packet.</returns>
    public static bool TryDecodeText(ReadOnlyMemory<byte> record, out EnginePacket packet, out string? error)
    {
        packet = default;
        var span = record.Span;
        if (span.IsEmpty)
        {
            error = "empty packet";
            return false;
        }

        var first = span[0];
        if (first == Base64Marker)
        {
            var encoded = span[1..];
            var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
            if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) != OperationStatus.Done)
            {
                error = "invalid base64 in binary packet";
                return false;
            }

            packet = EnginePacket.Binary(decoded.AsMemory(0, written));
            error = null;
            return true;
        }

        var type = first - (byte)'0';
        if ((uint)type > (uint)EnginePacketType.Noop)
        {
            error = $"unknown packet type 0x{first:x2}";
            return false;
        }

        var data = record[1..];
        if (!Utf8.IsValid(data.Span))
        {
            error = "packet is not valid UTF-8";
            return false;
        }

        packet = EnginePacket.Text((EnginePacketType)type, data);
        error = null;
        return true;
    }

    /// <summary>Writes a text packet: the type digit, then <paramref name="data"/> (UTF-8).</summary>
    public static void WriteText(IBufferWriter<byte> output, EnginePacketType type, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(data.Length + 1);
        span[0] = (byte)('0' + (int)type);
        data.CopyTo(span[1..]);
        output.Advance(data.Length + 1);
    }

    /// <summary>Writes a binary message as a polling record: <c>b</c> followed by the base64 of <paramref name="data"/>.</summary>
    public static void WriteBase64(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = Base64.GetMaxEncodedToUtf8Length(data.Length) + 1;
        var span = output.GetSpan(length);
        span[0] = Base64Marker;
        Base64.EncodeToUtf8(data, span[1..], out _, out var written);
        output.Advance(written + 1);
    }
}
