using System.Buffers;
using MessagePack;
using Sockeye.Adapters;
using Sockeye.Recovery;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Recovery;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis;

public sealed partial class RedisAdapter
{
    // The sender id of recoverable broadcasts: unlike Uid, this server does not skip them, so that it delivers its own
    // recoverable packets when they come back from Redis, in stream order with everyone else's.
    private readonly string _recoverableUid = NodeIds.New();

    /// <inheritdoc/>
    /// <remarks>
    /// With the <see cref="RedisConnectionStateStore"/>, one script appends the packet to the namespace's stream and
    /// publishes it with its offset; every server, this one included, delivers it when it arrives through its
    /// subscription. Every server therefore delivers recoverable packets in stream order, and a client's last offset says
    /// exactly what it has received, whichever servers emitted. The cost is one round trip to Redis before this server's
    /// own sockets receive the packet. Local broadcasts, other stores, and a server not (yet) subscribed use the base
    /// behaviour; while Redis is down, this server's sockets receive the packet without an offset.
    /// </remarks>
    public override async ValueTask BroadcastRecoverableAsync(BroadcastPacket packet, BroadcastOptions options, IConnectionStateStore store)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (store is not RedisConnectionStateStore redis || options.Flags.Local || !Ready.IsCompletedSuccessfully || !_backplane.IsConnected)
        {
            await base.BroadcastRecoverableAsync(packet, options, store).ConfigureAwait(false);
            return;
        }

        var args = WireValues.FromObjects(packet.Args, SerializerOptions);
        var entry = StreamEntries.Encode(packet.EventName, args, options.Rooms, options.Except);
        var (before, after) = EncodeAroundOffset(packet.EventName, args, options);
        var channel = options.Rooms.Count == 1 ? _channels.ForRoom(options.Rooms.First()) : _channels.Broadcast;
        try
        {
            await redis.AppendAndPublishAsync(Namespace.Name, entry, channel, before, after).ConfigureAwait(false);
        }
        catch (RedisBackplaneUnavailableException ex)
        {
            _backplane.Metrics.PublishFailed("broadcast");
            Diagnostics.RedisLog.PublishFailed(_backplane.Logger, "broadcast", Namespace.Name, ex);
            BroadcastLocal(packet, options);
        }
    }

    /// <summary>
    /// The broadcast message <c>[uid, {type, data: [event, ...args, offset], nsp}, opts]</c> in two parts, before and
    /// after the offset, which the append script writes in between.
    /// </summary>
    private (byte[] Before, byte[] After) EncodeAroundOffset(string eventName, object?[] args, BroadcastOptions options)
    {
        var head = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(head);
        writer.WriteArrayHeader(3);
        writer.Write(_recoverableUid);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write(2L);
        writer.Write("data");
        writer.WriteArrayHeader(args.Length + 2);
        writer.Write(eventName);
        foreach (var arg in args)
        {
            Notepack.Write(ref writer, arg);
        }

        writer.Flush();
        var tail = new ArrayBufferWriter<byte>(64);
        writer = new MessagePackWriter(tail);
        writer.Write("nsp");
        writer.Write(Namespace.Name);
        Notepack.Write(ref writer, EncodeOptions(options, withFlags: true, timeout: null));
        writer.Flush();
        return (head.WrittenSpan.ToArray(), tail.WrittenSpan.ToArray());
    }
}
