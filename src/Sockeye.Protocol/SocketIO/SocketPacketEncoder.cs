using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Sockeye.Protocol.SocketIO.Internal;

namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// Writes Socket.IO v5 packets in their text form <c>&lt;type&gt;[&lt;n&gt;-][&lt;nsp&gt;,][&lt;ackId&gt;][&lt;json&gt;]</c>.
/// The caller writes the Engine.IO <c>4</c> (message) prefix before calling, and sends the attachments of a binary
/// packet as the binary messages that follow, in order.
/// </summary>
/// <remarks>
/// Every method validates its arguments before writing, and the convenience methods serialize into a pooled buffer
/// first, so when one throws nothing has been written to the output.
/// </remarks>
public static partial class SocketPacketEncoder
{
    // Type digit (1), attachment count and '-' (11), ',' after the namespace (1), ack id (19).
    private const int MaxFixedHeaderLength = 32;

    /// <summary>Writes a packet whose JSON payload is already serialized.</summary>
    /// <param name="output">Where the packet is written.</param>
    /// <param name="type">The packet type.</param>
    /// <param name="nsp">The namespace; <c>/</c> is not written.</param>
    /// <param name="ackId">The ack id, or <see langword="null"/>.</param>
    /// <param name="attachments">The attachment count; written for binary types only, and 0 for the others.</param>
    /// <param name="jsonPayload">The UTF-8 JSON payload; empty when the packet has none.</param>
    /// <exception cref="ArgumentException">
    /// The namespace does not start with <c>/</c> or contains a comma, the ack id is negative, or a non-binary type is
    /// given attachments.
    /// </exception>
    public static void WriteHeaderAndPayload(
        IBufferWriter<byte> output,
        SocketPacketType type,
        string nsp,
        long? ackId,
        int attachments,
        ReadOnlySpan<byte> jsonPayload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var namespaceLength = ValidateHeader(type, nsp, ackId, attachments);
        var span = output.GetSpan(MaxFixedHeaderLength + namespaceLength + jsonPayload.Length);
        var written = FormatHeader(span, type, nsp, ackId, attachments);
        jsonPayload.CopyTo(span[written..]);
        output.Advance(written + jsonPayload.Length);
    }

    private static bool IsBinary(SocketPacketType type) =>
        type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck;

    private static bool IsMainNamespace(string nsp) => nsp == SocketPacket.DefaultNamespace;

    /// <summary>Checks the header fields and returns the UTF-8 length of the namespace as written (0 for <c>/</c>).</summary>
    private static int ValidateHeader(SocketPacketType type, string nsp, long? ackId, int attachments)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        if ((uint)type > (uint)SocketPacketType.BinaryAck)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown packet type.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(attachments);
        if (attachments != 0 && !IsBinary(type))
        {
            throw new ArgumentException("Only BINARY_EVENT and BINARY_ACK packets carry attachments.", nameof(attachments));
        }

        if (ackId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ackId), ackId, "An ack id is never negative.");
        }

        if (IsMainNamespace(nsp))
        {
            return 0;
        }

        // A namespace without '/' would be read back as payload, and a comma would end it early.
        if (nsp.Length == 0 || nsp[0] != '/' || nsp.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException("A namespace starts with '/' and contains no ','.", nameof(nsp));
        }

        return Encoding.UTF8.GetByteCount(nsp);
    }

    private static int FormatHeader(Span<byte> span, SocketPacketType type, string nsp, long? ackId, int attachments)
    {
        span[0] = (byte)('0' + (int)type);
        var position = 1;
        int written;
        if (IsBinary(type))
        {
            Utf8Formatter.TryFormat(attachments, span[position..], out written);
            position += written;
            span[position++] = (byte)'-';
        }

        if (!IsMainNamespace(nsp))
        {
            position += Encoding.UTF8.GetBytes(nsp, span[position..]);

            // Always followed by a comma, even without ack id or payload (`41/admin,`), as socket.io-parser writes it.
            span[position++] = (byte)',';
        }

        if (ackId is { } id)
        {
            Utf8Formatter.TryFormat(id, span[position..], out written);
            position += written;
        }

        return position;
    }
}
