using System.Threading.Channels;
using Sockeye.Adapters;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

/// <summary>
/// The adapter of one namespace on Redis 7 sharded pub/sub (<c>SPUBLISH</c>/<c>SSUBSCRIBE</c>), wire-compatible with
/// the Node adapter's <c>createShardedAdapter</c> (the <c>ClusterAdapter</c> message format, PROTOCOL.md §4.4).
/// Enabled with <see cref="RedisAdapterOptions.Sharded"/>.
/// </summary>
/// <remarks>
/// Every message is <c>{type, data, uid, nsp}</c>: JSON, or MessagePack when it carries binary. Servers listen to
/// <c>socket.io#&lt;nsp&gt;#</c>, to their own response channel <c>socket.io#&lt;nsp&gt;#&lt;uid&gt;#</c> and, in the
/// dynamic modes, to one channel per local room. Order is kept per channel: a room broadcast and a namespace
/// broadcast from the same server travel on different channels. This part holds the operations;
/// <c>ShardedRedisAdapter.Publish.cs</c> encodes what they publish, <c>ShardedRedisAdapter.Receive.cs</c> handles
/// what arrives.
/// </remarks>
public sealed partial class ShardedRedisAdapter : InMemoryAdapter
{
    private readonly RedisBackplane _backplane;
    private readonly string _channel;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ClusterLink _link;
    private readonly ClusterRequests _requests;
    private readonly Channel<(string Room, bool Subscribe)> _roomChanges = Channel.CreateUnbounded<(string, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, ChannelMessageQueue> _roomQueues = new(StringComparer.Ordinal);

    internal ShardedRedisAdapter(SocketNamespace nsp, RedisBackplane backplane)
        : base(nsp)
    {
        _backplane = backplane;
        Uid = NewId();
        _channel = backplane.Options.Key + "#" + nsp.Name + "#";
        _link = new ClusterLink(backplane, nsp.Name, Uid, RedisChannel.Sharded(_channel), "SHARDNUMSUB");
        _requests = new ClusterRequests(_link, NewId, EncodeRequest, MessageTypes.BroadcastClientCount, MessageTypes.BroadcastAck, CreateArguments);

        // The namespace channel comes last: once subscribed there, other servers count this one (SHARDNUMSUB).
        var responses = RedisChannel.Sharded(_channel + Uid + "#");
        _link.Subscribe([(responses, queue => queue.OnMessage(OnMessage)), (_link.Requests, queue => queue.OnMessage(OnMessage))], _disposed.Token);
        _ = FollowRoomsAsync();
    }

    /// <summary>This node's id in the namespace (16 hex characters, like the Node cluster adapter's <c>uid</c>).</summary>
    public string Uid { get; }

    /// <summary>Completes once the adapter listens to its namespace and response channels.</summary>
    public Task Ready => _link.Ready;

    private RedisAdapterOptions Options => _backplane.Options;

    /// <inheritdoc/>
    /// <remarks>The local sockets always receive the packet; a failure to publish is logged and counted, as in the
    /// classic mode.</remarks>
    public override async ValueTask BroadcastAsync(BroadcastPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        BroadcastLocal(packet, options);
        if (options.Flags.Local)
        {
            return;
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["packet"] = WirePacket(packet),
            ["opts"] = EncodeOptions(options, null),
        };
        var channel = options.Rooms.Count == 1 && UsesRoomChannelFor(options.Rooms.First()) ? RoomChannel(options.Rooms.First()) : _channel;
        await _link.TryPublishAsync(RedisChannel.Sharded(channel), Message(MessageTypes.Broadcast, data), "broadcast").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The number of subscribers of the namespace channel (<c>PUBSUB SHARDNUMSUB</c>), this server included.</remarks>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override ValueTask<int> ServerCountAsync() => _link.CountServersAsync("serverCount");

    /// <inheritdoc/>
    /// <exception cref="RedisRequestTimeoutException">Some servers did not answer within the requests timeout.</exception>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override async ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options)
    {
        var local = await base.FetchSocketsAsync(options).ConfigureAwait(false);
        if (options.Flags.Local)
        {
            return local;
        }

        return await _requests.FetchSocketsAsync(
            local,
            MessageTypes.FetchSockets,
            data => data["opts"] = EncodeOptions(options, null),
            item => WireSockets.FromWire(Namespace, item, SerializerOptions)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the sharded protocol has no room listing (nor has the Node
    /// sharded adapter); use the classic mode, or keep room names in Redis yourself.</exception>
    public override ValueTask<IReadOnlyCollection<string>> AllRoomsAsync() =>
        throw new NotSupportedException("allRooms is not part of the sharded Redis protocol; only the classic mode lists the rooms of every server.");

    /// <inheritdoc/>
    public override async ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.AddSocketsAsync(options, rooms).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("socketsJoin", MessageTypes.SocketsJoin, options, data => data["rooms"] = rooms.ToArray()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.DeleteSocketsAsync(options, rooms).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("socketsLeave", MessageTypes.SocketsLeave, options, data => data["rooms"] = rooms.ToArray()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        await base.DisconnectSocketsAsync(options, close).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("disconnectSockets", MessageTypes.DisconnectSockets, options, data => data["close"] = close).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override ValueTask ServerSideEmitAsync(string eventName, object?[] args)
    {
        var packet = EventData(eventName, args);
        return new(_requests.NotifyAsync("serverSideEmit", MessageTypes.ServerSideEmit, data => data["packet"] = packet));
    }

    /// <inheritdoc/>
    /// <exception cref="AckTimeoutException">Some servers did not answer in time.</exception>
    public override Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        _requests.ServerSideEmitWithAckAsync(eventName, MessageTypes.ServerSideEmit, "packet", () => EventData(eventName, args), cancellationToken);

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<SocketArguments>> BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Flags.Local)
        {
            return await base.BroadcastWithAckAsync(packet, options, timeout, cancellationToken).ConfigureAwait(false);
        }

        return await _requests.BroadcastWithAckAsync(
            packet.EventName,
            timeout,
            requestId => Message(MessageTypes.Broadcast, new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["packet"] = WirePacket(packet),
                ["requestId"] = requestId,
                ["opts"] = EncodeOptions(options, timeout),
            }),
            collector => BroadcastLocalWithAck(packet, options, collector.Expect, collector.Add),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        _roomChanges.Writer.TryComplete();
        ChannelMessageQueue[] roomQueues;
        lock (_roomQueues)
        {
            roomQueues = [.. _roomQueues.Values];
        }

        await _link.UnsubscribeAsync().ConfigureAwait(false);
        await ClusterLink.UnsubscribeAsync(roomQueues).ConfigureAwait(false);
        _disposed.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void OnRoomCreated(string room, bool isSocketRoom)
    {
        if (UsesRoomSubscription(isSocketRoom))
        {
            _roomChanges.Writer.TryWrite((room, true));
        }
    }

    /// <inheritdoc/>
    protected override void OnRoomDeleted(string room, bool isSocketRoom)
    {
        if (UsesRoomSubscription(isSocketRoom))
        {
            _roomChanges.Writer.TryWrite((room, false));
        }
    }

    private bool UsesRoomSubscription(bool isSocketRoom) => Options.SubscriptionMode switch
    {
        ShardedSubscriptionMode.Dynamic => !isSocketRoom,
        ShardedSubscriptionMode.DynamicPrivate => true,
        _ => false,
    };

    // The sender cannot know whether a room is a socket's: like the Node adapter, it takes a 20-character name for one.
    private bool UsesRoomChannelFor(string room) => Options.SubscriptionMode switch
    {
        ShardedSubscriptionMode.Dynamic => room.Length != 20,
        ShardedSubscriptionMode.DynamicPrivate => true,
        _ => false,
    };

    private string RoomChannel(string room) => _channel + room + "#";

    private Dictionary<string, object?> WirePacket(BroadcastPacket packet) => new(StringComparer.Ordinal)
    {
        ["type"] = 2L,
        ["data"] = EventData(packet.EventName, packet.Args),
    };

    private object?[] EventData(string eventName, IReadOnlyList<object?> args) => [eventName, .. WireValues.FromObjects(args, SerializerOptions)];

    private static Dictionary<string, object?> EncodeOptions(BroadcastOptions options, TimeSpan? timeout)
    {
        var flags = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (options.Flags.Volatile)
        {
            flags["volatile"] = true;
        }

        if (!options.Flags.Compress)
        {
            flags["compress"] = false;
        }

        if (timeout is { } limit && limit != Timeout.InfiniteTimeSpan)
        {
            flags["timeout"] = (long)limit.TotalMilliseconds;
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["rooms"] = options.Rooms.ToArray(),
            ["except"] = options.Except.ToArray(),
            ["flags"] = flags,
        };
    }
}
