using Sockeye.Redis.Diagnostics;
using StackExchange.Redis;

namespace Sockeye.Redis.Internal;

/// <summary>
/// One namespace adapter's use of the server's Redis connection, the same in the classic and the sharded mode: its
/// subscriptions, publishing that fails fast while Redis is down, and the count of the servers in the namespace.
/// </summary>
/// <param name="backplane">The server's Redis connection.</param>
/// <param name="nsp">The namespace, for logs.</param>
/// <param name="uid">The adapter's node id, for logs.</param>
/// <param name="requests">The channel every server of the namespace subscribes to, and receives requests on.</param>
/// <param name="countCommand">The <c>PUBSUB</c> subcommand that counts the subscribers of <paramref name="requests"/>.</param>
internal sealed class ClusterLink(RedisBackplane backplane, string nsp, string uid, RedisChannel requests, string countCommand)
{
    private readonly List<ChannelMessageQueue> _queues = [];
    private Task? _ready;

    public RedisBackplane Backplane => backplane;

    public string Namespace => nsp;

    /// <summary>The channel every server of the namespace receives requests on; its subscribers are the servers.</summary>
    public RedisChannel Requests => requests;

    /// <summary>Completes once every subscription given to <see cref="Subscribe"/> is made.</summary>
    public Task Ready => _ready ?? throw new InvalidOperationException("The adapter has not subscribed yet.");

    /// <summary>
    /// Subscribes to the channels one at a time, in the order given, waiting for Redis through outages until
    /// <paramref name="disposed"/>: the last one should be <see cref="Requests"/>, as other servers count this one
    /// from then on. Returns <see cref="Ready"/>.
    /// </summary>
    public Task Subscribe(IReadOnlyList<(RedisChannel Channel, Action<ChannelMessageQueue> Listen)> subscriptions, CancellationToken disposed) =>
        _ready = SubscribeAsync(subscriptions, disposed);

    /// <summary>Ends the subscriptions made by <see cref="Subscribe"/>.</summary>
    public Task UnsubscribeAsync()
    {
        ChannelMessageQueue[] queues;
        lock (_queues)
        {
            queues = [.. _queues];
            _queues.Clear();
        }

        return UnsubscribeAsync(queues);
    }

    /// <summary>Ends subscriptions, ignoring the failures of a connection that is gone.</summary>
    public static async Task UnsubscribeAsync(IEnumerable<ChannelMessageQueue> queues)
    {
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
    }

    /// <summary>The connection, or a <see cref="RedisBackplaneUnavailableException"/> at once when Redis is down.</summary>
    public async ValueTask<IConnectionMultiplexer> ConnectedAsync(string operation)
    {
        // Subscribing right now (a namespace just created, Redis just back): worth a short wait. Redis down: fail at once.
        if (!Ready.IsCompleted && Backplane.IsConnected)
        {
            try
            {
                await Ready.WaitAsync(Backplane.Options.ConnectTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Reported below.
            }
        }

        if (Backplane.Multiplexer is { } multiplexer && Backplane.IsConnected && Ready.IsCompletedSuccessfully)
        {
            return multiplexer;
        }

        Backplane.Metrics.RequestRefused(operation);
        throw new RedisBackplaneUnavailableException(operation);
    }

    /// <summary>Counts the servers of the namespace, this one included, for <paramref name="operation"/>, which failures name.</summary>
    public async ValueTask<int> CountServersAsync(string operation)
    {
        var multiplexer = await ConnectedAsync(operation).ConfigureAwait(false);
        try
        {
            var result = await multiplexer.GetDatabase().ExecuteAsync("PUBSUB", countCommand, Requests.ToString()).ConfigureAwait(false);
            var parts = (RedisResult[])result!;
            return parts.Length >= 2 ? (int)(long)parts[1] : 0;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Backplane.Metrics.RequestRefused(operation);
            throw new RedisBackplaneUnavailableException(operation, ex);
        }
    }

    /// <summary>Publishes, failing fast with <see cref="RedisBackplaneUnavailableException"/> when Redis is down.</summary>
    public async Task PublishAsync(RedisChannel channel, byte[] message, string operation)
    {
        var multiplexer = Backplane.Multiplexer;
        try
        {
            if (multiplexer is null || !Backplane.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected.");
            }

            await multiplexer.GetSubscriber().PublishAsync(channel, message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
            Backplane.Metrics.PublishFailed(operation);
            RedisLog.PublishFailed(Backplane.Logger, operation, Namespace, ex);
            throw new RedisBackplaneUnavailableException(operation, ex);
        }
    }

    /// <summary>
    /// Publishes what may be lost while Redis is down (a broadcast whose local part is done, a response whose requester
    /// times out): <see cref="PublishAsync"/> has logged and counted the failure.
    /// </summary>
    public async Task TryPublishAsync(RedisChannel channel, byte[] message, string operation)
    {
        try
        {
            await PublishAsync(channel, message, operation).ConfigureAwait(false);
        }
        catch (RedisBackplaneUnavailableException)
        {
            // Logged and counted.
        }
    }

    private async Task SubscribeAsync(IReadOnlyList<(RedisChannel Channel, Action<ChannelMessageQueue> Listen)> subscriptions, CancellationToken disposed)
    {
        var multiplexer = await Backplane.ConnectAsync().ConfigureAwait(false);
        var subscriber = multiplexer.GetSubscriber();
        var next = 0;
        while (next < subscriptions.Count && !disposed.IsCancellationRequested)
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
                RedisLog.SubscribeFailed(Backplane.Logger, Namespace, ex);
                try
                {
                    await Backplane.WhenConnectedAsync(disposed).ConfigureAwait(false);

                    // A back-off, in case Redis refuses the subscription itself while connected.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), disposed).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        RedisLog.Subscribed(Backplane.Logger, Namespace, uid);
    }
}
