using System.Buffers;

namespace Sockeye.Protocol.EngineIO;

/// <summary>
/// The HTTP long-polling payload: packets joined by the record separator <c>0x1e</c>, with no length prefix
/// (Engine.IO v4).
/// </summary>
public static class EnginePayload
{
    /// <summary>The record separator between packets.</summary>
    public const byte Separator = 0x1e;

    /// <summary>
    /// Decodes every packet of a payload. Decoding stops at the first invalid record, as the reference does, and the
    /// whole payload is then rejected: a peer that sends garbage is closed with <c>parse error</c>.
    /// </summary>
    /// <param name="payload">The request body.</param>
    /// <param name="packets">Receives the packets in order.</param>
    /// <param name="error">Why the payload is invalid, when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when every record decoded.</returns>
    public static bool TryDecode(ReadOnlyMemory<byte> payload, List<EnginePacket> packets, out string? error)
    {
        ArgumentNullException.ThrowIfNull(packets);
        if (payload.IsEmpty)
        {
            error = "empty payload";
            return false;
        }

        var rest = payload;
        while (true)
        {
            var index = rest.Span.IndexOf(Separator);
            var record = index < 0 ? rest : rest[..index];
            if (!EnginePacketCodec.TryDecodeText(record, out var packet, out error))
            {
                return false;
            }

            packets.Add(packet);
            if (index < 0)
            {
                error = null;
                return true;
            }

            rest = rest[(index + 1)..];
        }
    }

    /// <summary>Writes the separator that goes between two records.</summary>
    public static void WriteSeparator(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.GetSpan(1)[0] = Separator;
        output.Advance(1);
    }
}
