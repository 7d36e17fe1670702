using Sockeye.Adapters;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

/// <summary>
/// The adapter of one namespace in a cluster joined through Redis pub/sub, wire-compatible with
/// <c>@socket.io/redis-adapter</c> 8.x (classic mode): Node and .NET servers can share one cluster.
/// </summary>
/// <remarks>
/// Local sockets are served directly by the in-memory base; what other servers must see is published once, and a
/// packet that comes from another server is encoded once for all local recipients. The file is split by concern:
/// this part publishes broadcasts, <c>RedisAdapter.Requests.cs</c> makes cluster requests and
/// <c>RedisAdapter.Receive.cs</c> handles what other servers publish.
/// </remarks>
public sealed partial class RedisAdapter : InMemoryAdapter
{
    private readonly RedisBackplane _backplane;
    private readonly RedisChannels _channels;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ClusterLink _link;
    private readonly ClusterRequests _requests;

    internal RedisAdapter(SocketNamespace nsp, RedisBackplane backplane)
        : base(nsp)
    {
        _backplane = backplane;
        Uid = NodeIds.New();
        _channels = new RedisChannels(backplane.Options.Key, nsp.Name, Uid);
        _link = new ClusterLink(backplane, nsp.Name, Uid, _channels.Request, "NUMSUB");
        _requests = new ClusterRequests(_link, NodeIds.New, EncodeRequest, RequestType.BroadcastClientCount, RequestType.BroadcastAck, CreateArguments);

        // Everything arrives through one pattern subscription, hence one ordered queue. The request channel is also
        // subscribed by name, last: PUBSUB NUMSUB counts servers by it, and once counted this server must already hear
        // requests and responses. Its messages come through the pattern too, so the named subscription ignores them.
        _link.Subscribe([(_channels.All, queue => queue.OnMessage(OnMessage)), (_channels.Request, _ => { })], _disposed.Token);
    }

    /// <summary>This node's id in the namespace (6 characters, like the Node adapter's <c>uid</c>).</summary>
    public string Uid { get; }

    /// <summary>Completes once the adapter listens to Redis (its broadcasts and requests reach this server).</summary>
    public Task Ready => _link.Ready;

    private RedisAdapterOptions Options => _backplane.Options;

    /// <inheritdoc/>
    /// <remarks>The local sockets always receive the packet. If Redis cannot take it, the failure is logged and
    /// counted (<c>sockeye.redis.publish_failures</c>) and the call still succeeds: other servers miss this one.</remarks>
    public override async ValueTask BroadcastAsync(BroadcastPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        BroadcastLocal(packet, options);
        if (options.Flags.Local)
        {
            return;
        }

        var message = EncodeBroadcast(packet, options);
        var channel = options.Rooms.Count == 1 ? _channels.ForRoom(options.Rooms.First()) : _channels.Broadcast;
        await _link.TryPublishAsync(channel, message, "broadcast").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        await _link.UnsubscribeAsync().ConfigureAwait(false);
        _disposed.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private byte[] EncodeBroadcast(BroadcastPacket packet, BroadcastOptions options) =>
        Notepack.Encode(new object?[] { Uid, WirePacket(packet), EncodeOptions(options, withFlags: true, timeout: null) });

    private Dictionary<string, object?> WirePacket(BroadcastPacket packet)
    {
        object?[] data = [packet.EventName, .. WireValues.FromObjects(packet.Args, SerializerOptions)];
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["type"] = 2L,
            ["data"] = data,
            ["nsp"] = Namespace.Name,
        };
    }

    private static Dictionary<string, object?> EncodeOptions(BroadcastOptions options, bool withFlags, TimeSpan? timeout)
    {
        var wire = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["rooms"] = options.Rooms.ToArray(),
            ["except"] = options.Except.ToArray(),
        };
        if (withFlags)
        {
            // Only the flags that were set, as the Node operator sends them; "local" never leaves the server.
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

            wire["flags"] = flags;
        }

        return wire;
    }

    /// <summary>Publishes a response; failures are logged (the requester will time out).</summary>
    private async Task PublishResponseAsync(string? requesterUid, Dictionary<string, object?> response, bool msgpack = false)
    {
        var channel = Options.PublishOnSpecificResponseChannel && requesterUid is not null
            ? RedisChannel.Literal(_channels.ResponsePrefix + requesterUid + "#")
            : _channels.Response;
        var message = msgpack ? Notepack.Encode(response) : WireValues.EncodeMessage(response);
        await _link.TryPublishAsync(channel, message, "response").ConfigureAwait(false);
    }
}
