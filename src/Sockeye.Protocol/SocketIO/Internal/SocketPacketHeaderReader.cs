namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>Reads the header of a text packet the way socket.io-parser 4.2 <c>decodeString</c> does.</summary>
internal static class SocketPacketHeaderReader
{
    /// <summary>Parses the header of <paramref name="utf8"/>.</summary>
    /// <exception cref="SocketProtocolException">The header is invalid.</exception>
    public static SocketPacketHeader Read(ReadOnlySpan<byte> utf8, int maxAttachments)
    {
        if (utf8.IsEmpty)
        {
            throw new SocketProtocolException("empty packet");
        }

        var typeDigit = utf8[0] - (byte)'0';
        if ((uint)typeDigit > (uint)SocketPacketType.BinaryAck)
        {
            throw new SocketProtocolException($"unknown packet type {Describe(utf8[0])}");
        }

        var type = (SocketPacketType)typeDigit;
        var position = 1;
        var attachments = 0;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            attachments = ReadAttachmentCount(utf8, ref position, maxAttachments);
        }

        var namespaceStart = -1;
        var namespaceLength = 0;
        if (position < utf8.Length && utf8[position] == (byte)'/')
        {
            // The namespace ends at the first comma or at the end of the packet: clients send `40/custom` without
            // a trailing comma (PROTOCOL.md §2.2).
            namespaceStart = position;
            var comma = utf8[position..].IndexOf((byte)',');
            namespaceLength = comma < 0 ? utf8.Length - position : comma;
            position = comma < 0 ? utf8.Length : position + comma + 1;
        }

        var ackId = ReadAckId(utf8, ref position);
        return new SocketPacketHeader(type, attachments, namespaceStart, namespaceLength, ackId, position);
    }

    private static int ReadAttachmentCount(ReadOnlySpan<byte> utf8, ref int position, int maxAttachments)
    {
        var dash = utf8[position..].IndexOf((byte)'-');
        if (dash < 0)
        {
            throw new SocketProtocolException("illegal attachments: the attachment count is not followed by '-'");
        }

        var digits = utf8.Slice(position, dash);
        if (digits.IsEmpty)
        {
            throw new SocketProtocolException("illegal attachments: the attachment count is empty");
        }

        var count = 0;
        foreach (var b in digits)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                throw new SocketProtocolException(
                    $"illegal attachments: the attachment count contains {Describe(b)}, not only digits");
            }

            // Checking on every digit keeps the count from overflowing however many digits arrive.
            count = (count * 10) + digit;
            if (count > maxAttachments)
            {
                throw new SocketProtocolException($"too many attachments: more than the limit of {maxAttachments}");
            }
        }

        position += dash + 1;
        return count;
    }

    private static long? ReadAckId(ReadOnlySpan<byte> utf8, ref int position)
    {
        var start = position;
        long value = 0;
        while (position < utf8.Length)
        {
            var digit = utf8[position] - (byte)'0';
            if ((uint)digit > 9)
            {
                break;
            }

            if (value > (long.MaxValue - digit) / 10)
            {
                throw new SocketProtocolException($"ack id does not fit in a 64-bit integer (max {long.MaxValue})");
            }

            value = (value * 10) + digit;
            position++;
        }

        return position == start ? null : value;
    }

    /// <summary>Names a byte for an error message without echoing arbitrary peer input.</summary>
    internal static string Describe(byte value) =>
        value is >= 0x21 and < 0x7f ? $"'{(char)value}'" : $"byte 0x{value:x2}";
}
