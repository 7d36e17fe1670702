using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Sockeye.Adapters;
using Sockeye.Redis.Diagnostics;
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
/// <c>ShardedRedisAdapter.Publish.cs</c> publishes and waits for answers, <c>ShardedRedisAdapter.Receive.cs</c>
/// handles what arrives.
/// </remarks>
public sealed partial class ShardedRedisAdapter : InMemoryAdapter
{
    private readonly RedisBackplane _backplane;
    private readonly string _channel;
    private readonly string _responseChannel;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckCollector> _ackRequests = new(StringComparer.Ordinal);
    private readonly Channel<(string Room, bool Subscribe)> _roomChanges = Channel.CreateUnbounded<(string, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, ChannelMessageQueue> _roomQueues = new(StringComparer.Ordinal);
    private readonly List<ChannelMessageQueue> _queues = [];

    internal ShardedRedisAdapter(SocketNamespace nsp, RedisBackplane backplane)
        : base(nsp)
    {
        _backplane = backplane;
        Uid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _channel = backplane.Options.Key + "#" + nsp.Name + "#";
        _responseChannel = _channel + Uid + "#";
        Ready = SubscribeAsync();
        _ = FollowRoomsAsync();
    }

    /// <summary>This node's id in the namespace (16 hex characters, like the Node cluster adapter's <c>uid</c>).</summary>
    public string Uid { get; }

    /// <summary>Completes once the adapter listens to its namespace and response channels.</summary>
    public Task Ready { get; }

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
        try
        {
            await PublishAsync(channel, Message(MessageTypes.Broadcast, data), "broadcast").ConfigureAwait(false);
        }
        catch (RedisBackplaneUnavailableException)
        {
            // Logged and counted; the local part is done.
        }
    }

    /// <inheritdoc/>
    /// <remarks>The number of subscribers of the namespace channel (<c>PUBSUB SHARDNUMSUB</c>), this server included.</remarks>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override ValueTask<int> ServerCountAsync() => CountServersAsync("serverCount");

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

        var responses = await RequestAsync("fetchSockets", MessageTypes.FetchSockets, data => data["opts"] = EncodeOptions(options, null), null).ConfigureAwait(false);
        var result = new List<RemoteSocket>(local);
        foreach (var response in responses)
        {
            foreach (var item in response.Array("sockets") ?? [])
            {
                if (WireSockets.FromWire(Namespace, item, SerializerOptions) is { } socket)
                {
                    result.Add(socket);
                }
            }
        }

        return result;
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
            await NotifyAsync("socketsJoin", MessageTypes.SocketsJoin, new() { ["opts"] = EncodeOptions(options, null), ["rooms"] = rooms.ToArray() }).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.DeleteSocketsAsync(options, rooms).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("socketsLeave", MessageTypes.SocketsLeave, new() { ["opts"] = EncodeOptions(options, null), ["rooms"] = rooms.ToArray() }).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        await base.DisconnectSocketsAsync(options, close).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("disconnectSockets", MessageTypes.DisconnectSockets, new() { ["opts"] = EncodeOptions(options, null), ["close"] = close }).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override ValueTask ServerSideEmitAsync(string eventName, object?[] args) =>
        new(NotifyAsync("serverSideEmit", MessageTypes.ServerSideEmit, new() { ["packet"] = EventData(eventName, args) }));

    /// <inheritdoc/>
    /// <exception cref="AckTimeoutException">Some servers did not answer in time.</exception>
    public override async Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        var responses = await RequestAsync(
            "serverSideEmit",
            MessageTypes.ServerSideEmit,
            data => data["packet"] = EventData(eventName, args),
            partial => new AckTimeoutException(eventName, Options.RequestsTimeout, [.. partial.Select(ToArguments)]),
            cancellationToken).ConfigureAwait(false);
        return [.. responses.Select(ToArguments)];

        SocketArguments ToArguments(Dictionary<string, object?> response) => CreateArguments([response.Field("packet")]);
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<SocketArguments>> BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Flags.Local)
        {
            return await base.BroadcastWithAckAsync(packet, options, timeout, cancellationToken).ConfigureAwait(false);
        }

        var collector = new AckCollector();
        string? requestId = null;
        try
        {
            var others = await CountServersAsync("broadcastWithAck").ConfigureAwait(false) - 1;
            if (others > 0)
            {
                requestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                _ackRequests[requestId] = collector;
                collector.ExpectServers(others);
                var data = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["packet"] = WirePacket(packet),
                    ["requestId"] = requestId,
                    ["opts"] = EncodeOptions(options, timeout),
                };
                try
                {
                    // Always the namespace channel: every server counted must get it, members of the rooms or not.
                    await PublishAsync(_channel, Message(MessageTypes.Broadcast, data), "broadcast").ConfigureAwait(false);
                }
                catch (RedisBackplaneUnavailableException)
                {
                    _ackRequests.TryRemove(requestId, out _);
                    collector.ExpectServers(-others);
                    requestId = null;
                }
            }
        }
        catch (RedisBackplaneUnavailableException)
        {
            // No other server can be reached: the local clients still get the packet.
        }

        try
        {
            BroadcastLocalWithAck(packet, options, collector.Expect, collector.Add);
            return await collector.WaitAsync(packet.EventName, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (requestId is not null)
            {
                _ackRequests.TryRemove(requestId, out _);
            }
        }
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
        ChannelMessageQueue[] queues;
        lock (_queues)
        {
            queues = [.. _queues, .. _roomQueues.Values];
            _queues.Clear();
        }

        foreach (var queue in queues)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // The subscription dies with the connection anyway.
            }
        }

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
