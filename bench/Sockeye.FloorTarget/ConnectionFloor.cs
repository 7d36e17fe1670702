using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Sockeye.Bench.Floor;

/// <summary>
/// The Kestrel floor: a connection handler over Kestrel's socket transport and pipes, with the HTTP/1.1 upgrade and
/// the WebSocket framing done by hand (text frames of up to 64 KiB, no fragments, no control frames but close).
/// <c>GET /gc</c> is answered here too, since there is no HTTP layer to route it.
/// </summary>
internal sealed class ConnectionFloor : ConnectionHandler
{
    private const int MaxPacket = 64 * 1024;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var key = await ReadUpgradeAsync(input).ConfigureAwait(false);
        if (key is null)
        {
            var body = MemoryEndpoint.CollectAndDescribe();
            await output.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}")).ConfigureAwait(false);
            return;
        }

        // RFC 6455 fixes SHA-1 for the accept key; it is no security boundary.
#pragma warning disable CA5350
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        await output.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n")).ConfigureAwait(false);
        WriteFrame(output, FloorPackets.Open);
        await output.FlushAsync().ConfigureAwait(false);

        while (true)
        {
            var read = await input.ReadAsync().ConfigureAwait(false);
            var buffer = read.Buffer;
            if (!Answer(ref buffer, output))
            {
                return;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            var flushed = await output.FlushAsync().ConfigureAwait(false);
            if (read.IsCompleted || flushed.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Answers every whole frame in <paramref name="buffer"/> (the packet buffer is rented per read, so that an idle
    /// connection holds none); false once the client sent a close frame.
    /// </summary>
    private static bool Answer(ref ReadOnlySequence<byte> buffer, PipeWriter output)
    {
        var packet = ArrayPool<byte>.Shared.Rent(MaxPacket);
        try
        {
            while (TryReadFrame(ref buffer, packet, out var opcode, out var length))
            {
                if (opcode == 0x8)
                {
                    return false;
                }

                var span = output.GetSpan(length + FloorPackets.AnswerOverhead + 4);
                var answer = FloorPackets.Answer(packet.AsSpan(0, length), span[4..]);
                if (answer > 0)
                {
                    // The answer was written behind a 4-byte gap; close it up behind a 2- or 4-byte frame header.
                    var header = answer < 126 ? 2 : 4;
                    span.Slice(4, answer).CopyTo(span[header..]);
                    WriteFrameHeader(span, answer);
                    output.Advance(header + answer);
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packet);
        }
    }

    /// <summary>Reads the request head; the WebSocket key of an upgrade, or null for any other request.</summary>
    private static async Task<string?> ReadUpgradeAsync(PipeReader input)
    {
        while (true)
        {
            var read = await input.ReadAsync().ConfigureAwait(false);
            var reader = new SequenceReader<byte>(read.Buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
            {
                var lines = Encoding.ASCII.GetString(head).Split("\r\n");
                input.AdvanceTo(reader.Position);
                const string KeyHeader = "Sec-WebSocket-Key:";
                return lines
                    .Where(l => l.StartsWith(KeyHeader, StringComparison.OrdinalIgnoreCase))
                    .Select(l => l[KeyHeader.Length..].Trim())
                    .FirstOrDefault();
            }

            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            if (read.IsCompleted || read.Buffer.Length > 16 * 1024)
            {
                throw new InvalidDataException("no complete request head");
            }
        }
    }

    /// <summary>Takes one whole client frame off <paramref name="buffer"/>, unmasked into <paramref name="packet"/>.</summary>
    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, byte[] packet, out int opcode, out int length)
    {
        opcode = 0;
        length = 0;
        Span<byte> head = stackalloc byte[8];
        var available = (int)Math.Min(head.Length, buffer.Length);
        if (available < 2)
        {
            return false;
        }

        buffer.Slice(0, available).CopyTo(head);
        opcode = head[0] & 0x0F;
        length = head[1] & 0x7F;
        var offset = 2;
        if (length == 126)
        {
            if (available < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
            offset = 4;
        }
        else if (length == 127)
        {
            throw new InvalidDataException("frames over 64 KiB are beyond the floor");
        }

        if ((head[1] & 0x80) == 0)
        {
            throw new InvalidDataException("client frames are masked");
        }

        if (buffer.Length < offset + 4 + length)
        {
            return false;
        }

        Span<byte> mask = stackalloc byte[4];
        buffer.Slice(offset, 4).CopyTo(mask);
        buffer.Slice(offset + 4, length).CopyTo(packet);
        for (var i = 0; i < length; i++)
        {
            packet[i] ^= mask[i & 3];
        }

        buffer = buffer.Slice(offset + 4 + length);
        return true;
    }

    private static void WriteFrame(PipeWriter output, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(payload.Length + 4);
        var header = WriteFrameHeader(span, payload.Length);
        payload.CopyTo(span[header..]);
        output.Advance(header + payload.Length);
    }

    /// <summary>Writes the header of an unmasked final text frame; returns its length (2 or 4).</summary>
    private static int WriteFrameHeader(Span<byte> destination, int length)
    {
        destination[0] = 0x81;
        if (length < 126)
        {
            destination[1] = (byte)length;
            return 2;
        }

        destination[1] = 126;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        return 4;
    }
}
