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
    private EncodedPacket(OutboundPacket[] frames) => Frames = frames;

    public OutboundPacket[] Frames { get; }

    public static EncodedPacket Event(string nsp, string eventName, object?[] args, long? ackId, JsonSerializerOptions options)
    {
        using var buffer = new PooledBufferWriter(512);
        buffer.GetSpan(1)[0] = (byte)'4';
        buffer.Advance(1);
        List<ReadOnlyMemory<byte>>? attachments = null;
        var sink = new List<ReadOnlyMemory<byte>>(0);
        SocketPacketEncoder.WriteEvent(buffer, nsp, eventName, args, ackId, options, sink);
        if (sink.Count > 0)
        {
            attachments = sink;
        }

        return Create(buffer, attachments);
    }

    public static EncodedPacket Ack(string nsp, long ackId, object?[] args, JsonSerializerOptions options)
    {
        using var buffer = new PooledBufferWriter(256);
        buffer.GetSpan(1)[0] = (byte)'4';
        buffer.Advance(1);
        var sink = new List<ReadOnlyMemory<byte>>(0);
        SocketPacketEncoder.WriteAck(buffer, nsp, ackId, args, options, sink);
        return Create(buffer, sink.Count > 0 ? sink : null);
    }

    public static EncodedPacket Connect(string nsp, string sid, string? pid)
    {
        using var buffer = new PooledBufferWriter(64);
        buffer.GetSpan(1)[0] = (byte)'4';
        buffer.Advance(1);
        SocketPacketEncoder.WriteConnect(buffer, nsp, sid, pid);
        return Create(buffer, null);
    }

    public static EncodedPacket ConnectError(string nsp, string message, object? data, JsonSerializerOptions options)
    {
        using var buffer = new PooledBufferWriter(128);
        buffer.GetSpan(1)[0] = (byte)'4';
        buffer.Advance(1);
        SocketPacketEncoder.WriteConnectError(buffer, nsp, message, data, options);
        return Create(buffer, null);
    }

    public static EncodedPacket Disconnect(string nsp)
    {
        using var buffer = new PooledBufferWriter(32);
        buffer.GetSpan(1)[0] = (byte)'4';
        buffer.Advance(1);
        SocketPacketEncoder.WriteDisconnect(buffer, nsp);
        return Create(buffer, null);
    }

    private static EncodedPacket Create(PooledBufferWriter header, List<ReadOnlyMemory<byte>>? attachments)
    {
        // The header is copied out of the pooled buffer once; attachments are the caller's bytes, not copied.
        var frames = new OutboundPacket[1 + (attachments?.Count ?? 0)];
        frames[0] = OutboundPacket.FromEncodedText(header.ToArray());
        for (var i = 1; i < frames.Length; i++)
        {
            frames[i] = OutboundPacket.BinaryMessage(attachments![i - 1]);
        }

        return new EncodedPacket(frames);
    }
}
