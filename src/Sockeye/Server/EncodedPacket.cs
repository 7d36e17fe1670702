using System.Text.Json;
using Sockeye.Engine;
using Sockeye.Internal;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>
/// A Socket.IO packet encoded into the Engine.IO packets that carry it: the text header, then one binary packet per
/// attachment. Immutable, so a broadcast encodes once and queues the same frames on every recipient.
/// </summary>
internal sealed class EncodedPacket
{
    // Scratch space reused by every encode on a thread: encoding is synchronous, and the result is copied out of it.
    [ThreadStatic]
    private static Scratch? t_scratch;

    private EncodedPacket(OutboundPacket[] frames) => Frames = frames;

    public OutboundPacket[] Frames { get; }

    public static EncodedPacket Event(string nsp, string eventName, object?[] args, long? ackId, JsonSerializerOptions options)
    {
        var scratch = Scratch.Take();
        try
        {
            SocketPacketEncoder.WriteEvent(scratch.Buffer, nsp, eventName, args, ackId, options, scratch.Attachments);
            return scratch.ToPacket();
        }
        finally
        {
            scratch.Return();
        }
    }

    public static EncodedPacket Ack(string nsp, long ackId, object?[] args, JsonSerializerOptions options)
    {
        var scratch = Scratch.Take();
        try
        {
            SocketPacketEncoder.WriteAck(scratch.Buffer, nsp, ackId, args, options, scratch.Attachments);
            return scratch.ToPacket();
        }
        finally
        {
            scratch.Return();
        }
    }

    public static EncodedPacket Connect(string nsp, string sid, string? pid)
    {
        var scratch = Scratch.Take();
        try
        {
            SocketPacketEncoder.WriteConnect(scratch.Buffer, nsp, sid, pid);
            return scratch.ToPacket();
        }
        finally
        {
            scratch.Return();
        }
    }

    public static EncodedPacket ConnectError(string nsp, string message, object? data, JsonSerializerOptions options)
    {
        var scratch = Scratch.Take();
        try
        {
            SocketPacketEncoder.WriteConnectError(scratch.Buffer, nsp, message, data, options);
            return scratch.ToPacket();
        }
        finally
        {
            scratch.Return();
        }
    }

    public static EncodedPacket Disconnect(string nsp)
    {
        var scratch = Scratch.Take();
        try
        {
            SocketPacketEncoder.WriteDisconnect(scratch.Buffer, nsp);
            return scratch.ToPacket();
        }
        finally
        {
            scratch.Return();
        }
    }

    private sealed class Scratch
    {
        public PooledBufferWriter Buffer { get; } = new(1024);

        public List<ReadOnlyMemory<byte>> Attachments { get; } = [];

        public static Scratch Take()
        {
            // Taken out of the slot while in use, so a nested encode on this thread (a converter that emits) gets
            // its own.
            var scratch = t_scratch ?? new Scratch();
            t_scratch = null;

            // Every packet rides in an Engine.IO message: its type digit comes first.
            scratch.Buffer.GetSpan(1)[0] = (byte)'4';
            scratch.Buffer.Advance(1);
            return scratch;
        }

        public EncodedPacket ToPacket()
        {
            // The header is copied out once, to exactly its size; attachments are the caller's bytes, not copied.
            var frames = new OutboundPacket[1 + Attachments.Count];
            frames[0] = OutboundPacket.FromEncodedText(Buffer.ToArray());
            for (var i = 1; i < frames.Length; i++)
            {
                frames[i] = OutboundPacket.BinaryMessage(Attachments[i - 1]);
            }

            return new EncodedPacket(frames);
        }

        public void Return()
        {
            Buffer.Clear();
            Attachments.Clear();
            if (Buffer.Capacity <= 64 * 1024)
            {
                t_scratch = this;
            }
            else
            {
                // Do not keep a huge buffer per thread after one large packet.
                Buffer.Dispose();
            }
        }
    }
}
