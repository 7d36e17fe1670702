using Sockeye.Adapters;
using Sockeye.Redis.Diagnostics;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

public sealed partial class RedisAdapter
{
    /// <inheritdoc/>
    /// <remarks>The number of subscribers of the namespace's request channel (<c>PUBSUB NUMSUB</c>), this server included.</remarks>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override ValueTask<int> ServerCountAsync() => CountServersAsync("serverCount");

    /// <summary>Counts the servers for <paramref name="operation"/>, which failures name.</summary>
    private async ValueTask<int> CountServersAsync(string operation)
    {
        var multiplexer = await ConnectedAsync(operation).ConfigureAwait(false);
        try
        {
            var result = await multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _channels.Request.ToString()).ConfigureAwait(false);
            var parts = (RedisResult[])result!;
            return parts.Length >= 2 ? (int)(long)parts[1] : 0;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _backplane.Metrics.RequestRefused(operation);
            throw new RedisBackplaneUnavailableException(operation, ex);
        }
    }

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

        var responses = await RequestAsync("fetchSockets", RequestType.RemoteFetch, request => request["opts"] = EncodeOptions(options, withFlags: false, timeout: null), timeoutError: null).ConfigureAwait(false);
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
    /// <exception cref="RedisRequestTimeoutException">Some servers did not answer within the requests timeout.</exception>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override async ValueTask<IReadOnlyCollection<string>> AllRoomsAsync()
    {
        var rooms = new HashSet<string>(GetRooms(), StringComparer.Ordinal);
        var responses = await RequestAsync("allRooms", RequestType.AllRooms, _ => { }, timeoutError: null).ConfigureAwait(false);
        foreach (var response in responses)
        {
            rooms.UnionWith(response.Strings("rooms"));
        }

        return rooms;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down: this server's sockets joined, the others' did not.</exception>
    public override async ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.AddSocketsAsync(options, rooms).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("socketsJoin", RequestType.RemoteJoin, options, request => request["rooms"] = rooms.ToArray()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down: this server's sockets left, the others' did not.</exception>
    public override async ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        await base.DeleteSocketsAsync(options, rooms).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("socketsLeave", RequestType.RemoteLeave, options, request => request["rooms"] = rooms.ToArray()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down: this server's sockets were disconnected, the others' were not.</exception>
    public override async ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        await base.DisconnectSocketsAsync(options, close).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            await NotifyAsync("disconnectSockets", RequestType.RemoteDisconnect, options, request => request["close"] = close).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override async ValueTask ServerSideEmitAsync(string eventName, object?[] args)
    {
        await ConnectedAsync("serverSideEmit").ConfigureAwait(false);
        var request = NewRequest(RequestType.ServerSideEmit, requestId: null);
        request["data"] = EventData(eventName, args);
        await PublishAsync(_channels.Request, WireValues.EncodeMessage(request), "serverSideEmit").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Each other server answers once (the first acknowledgement of its handlers), with one value; a server
    /// without a handler for the event does not answer, so the call then times out after the requests timeout.</remarks>
    /// <exception cref="AckTimeoutException">Some servers did not answer in time; the answers received are in
    /// <see cref="AckTimeoutException.Responses"/>.</exception>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override async Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        var responses = await RequestAsync(
            "serverSideEmit",
            RequestType.ServerSideEmit,
            request => request["data"] = EventData(eventName, args),
            partial => new AckTimeoutException(eventName, Options.RequestsTimeout, [.. partial.Select(ToAckArguments)]),
            cancellationToken).ConfigureAwait(false);
        return [.. responses.Select(ToAckArguments)];

        SocketArguments ToAckArguments(Dictionary<string, object?> response) => CreateArguments([response.Field("data")]);
    }

    /// <inheritdoc/>
    /// <remarks>Other servers report how many of their clients got the packet, then each client's first
    /// acknowledgement argument. If Redis is down the packet reaches this server's clients only.</remarks>
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
                requestId = NodeIds.New();
                _ackRequests[requestId] = collector;
                collector.ExpectServers(others);
                var request = NewRequest(RequestType.Broadcast, requestId);
                request["packet"] = WirePacket(packet);
                request["opts"] = EncodeOptions(options, withFlags: true, timeout);
                try
                {
                    // Always MessagePack, as the Node adapter sends it: the packet may carry binary.
                    await PublishAsync(_channels.Request, Notepack.Encode(request), "broadcast").ConfigureAwait(false);
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

    private object?[] EventData(string eventName, object?[] args) => [eventName, .. WireValues.FromObjects(args, SerializerOptions)];

    private Dictionary<string, object?> NewRequest(int type, string? requestId)
    {
        var request = new Dictionary<string, object?>(StringComparer.Ordinal) { ["uid"] = Uid };
        if (requestId is not null)
        {
            request["requestId"] = requestId;
        }

        request["type"] = (long)type;
        return request;
    }

    /// <summary>Publishes a request that expects no answer.</summary>
    private async Task NotifyAsync(string operation, int type, BroadcastOptions options, Action<Dictionary<string, object?>> fill)
    {
        await ConnectedAsync(operation).ConfigureAwait(false);
        var request = NewRequest(type, requestId: null);
        request["opts"] = EncodeOptions(options, withFlags: false, timeout: null);
        fill(request);
        await PublishAsync(_channels.Request, WireValues.EncodeMessage(request), operation).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a request and waits for one response from every other server (the count is taken just before), up to
    /// the requests timeout. On timeout, <paramref name="timeoutError"/> turns the responses received into the
    /// exception thrown (a <see cref="RedisRequestTimeoutException"/> by default).
    /// </summary>
    private async Task<IReadOnlyList<Dictionary<string, object?>>> RequestAsync(
        string operation,
        int type,
        Action<Dictionary<string, object?>> fill,
        Func<IReadOnlyList<Dictionary<string, object?>>, Exception>? timeoutError,
        CancellationToken cancellationToken = default)
    {
        var others = await CountServersAsync(operation).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return [];
        }

        var requestId = NodeIds.New();
        var pending = new PendingRequest(others);
        _requests[requestId] = pending;
        try
        {
            var request = NewRequest(type, requestId);
            fill(request);
            await PublishAsync(_channels.Request, WireValues.EncodeMessage(request), operation).ConfigureAwait(false);
            try
            {
                await pending.Completion.WaitAsync(Options.RequestsTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                var received = pending.Snapshot();
                _backplane.Metrics.RequestTimedOut(operation);
                RedisLog.RequestTimedOut(_backplane.Logger, operation, Namespace.Name, received.Count, others);
                throw timeoutError?.Invoke(received) ?? new RedisRequestTimeoutException(operation, others, received.Count, Options.RequestsTimeout);
            }

            return pending.Snapshot();
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    /// <summary>The connection, or a <see cref="RedisBackplaneUnavailableException"/> at once when Redis is down.</summary>
    private async ValueTask<IConnectionMultiplexer> ConnectedAsync(string operation)
    {
        // Subscribing right now (a namespace just created, Redis just back): worth a short wait. Redis down: fail at once.
        if (!Ready.IsCompleted && _backplane.IsConnected)
        {
            try
            {
                await Ready.WaitAsync(Options.ConnectTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Reported below.
            }
        }

        if (_backplane.Multiplexer is { } multiplexer && _backplane.IsConnected && Ready.IsCompletedSuccessfully)
        {
            return multiplexer;
        }

        _backplane.Metrics.RequestRefused(operation);
        throw new RedisBackplaneUnavailableException(operation);
    }
}
