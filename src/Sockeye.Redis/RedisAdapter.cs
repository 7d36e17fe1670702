using System.Collections.Concurrent;
using Sockeye.Adapters;
using Sockeye.Redis.Diagnostics;
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
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckCollector> _ackRequests = new(StringComparer.Ordinal);
    private readonly List<ChannelMessageQueue> _queues = [];

    internal RedisAdapter(SocketNamespace nsp, RedisBackplane backplane)
        : base(nsp)
    {
        _backplane = backplane;
        Uid = NodeIds.New();
        _channels = new RedisChannels(backplane.Options.Key, nsp.Name, Uid);
        Ready = SubscribeAsync();
    }

    /// <summary>This node's id in the namespace (6 characters, like the Node adapter's <c>uid</c>).</summary>
    public string Uid { get; }

    /// <summary>Completes once the adapter listens to Redis (its broadcasts and requests reach this server).</summary>
    public Task Ready { get; }

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
        try
        {
            await PublishAsync(channel, message, "broadcast").ConfigureAwait(false);
        }
        catch (RedisBackplaneUnavailableException)
        {
            // Logged and counted by PublishAsync; the local part is done.
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
        ChannelMessageQueue[] queues;
        lock (_queues)
        {
            queues = [.. _queues];
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

    /// <summary>Publishes, failing fast with <see cref="RedisBackplaneUnavailableException"/> when Redis is down.</summary>
    private async Task PublishAsync(RedisChannel channel, byte[] message, string operation)
    {
        var multiplexer = _backplane.Multiplexer;
        try
        {
            if (multiplexer is null || !_backplane.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected.");
            }

            await multiplexer.GetSubscriber().PublishAsync(channel, message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
            _backplane.Metrics.PublishFailed(operation);
            RedisLog.PublishFailed(_backplane.Logger, operation, Namespace.Name, ex);
            throw new RedisBackplaneUnavailableException(operation, ex);
        }
    }

    /// <summary>Publishes a response; failures are logged (the requester will time out).</summary>
    private async Task PublishResponseAsync(string? requesterUid, Dictionary<string, object?> response, bool msgpack = false)
    {
        var channel = Options.PublishOnSpecificResponseChannel && requesterUid is not null
            ? RedisChannel.Literal(_channels.ResponsePrefix + requesterUid + "#")
            : _channels.Response;
        var message = msgpack ? Notepack.Encode(response) : WireValues.EncodeMessage(response);
        try
        {
            await PublishAsync(channel, message, "response").ConfigureAwait(false);
        }
        catch (RedisBackplaneUnavailableException)
        {
            // Logged and counted.
        }
    }

    private async Task SubscribeAsync()
    {
        var multiplexer = await _backplane.ConnectAsync().ConfigureAwait(false);
        var subscriber = multiplexer.GetSubscriber();

        // Everything arrives through one pattern subscription, hence one ordered queue. The request channel is also
        // subscribed by name, last: PUBSUB NUMSUB counts servers by it, and once counted this server must already hear
        // requests and responses. Its messages come through the pattern too, so the named subscription ignores them.
        (RedisChannel Channel, Action<ChannelMessageQueue> Listen)[] subscriptions =
        [
            (_channels.All, queue => queue.OnMessage(OnMessage)),
            (_channels.Request, _ => { }),
        ];
        var next = 0;
        while (next < subscriptions.Length && !_disposed.IsCancellationRequested)
        {
            try
            {
                var (channel, listen) = subscriptions[next];
                var queue = await subscriber.SubscribeAsync(channel).ConfigureAwait(false);

                // A queue hands messages over one at a time, in the order Redis sent them.
                listen(queue);
                lock (_queues)
                {
                    _queues.Add(queue);
                }

                next++;
            }
            catch (RedisException ex)
            {
                RedisLog.SubscribeFailed(_backplane.Logger, Namespace.Name, ex);
                try
                {
                    await _backplane.WhenConnectedAsync(_disposed.Token).ConfigureAwait(false);

                    // A back-off, in case Redis refuses the subscription itself while connected.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _disposed.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        RedisLog.Subscribed(_backplane.Logger, Namespace.Name, Uid);
    }
}
