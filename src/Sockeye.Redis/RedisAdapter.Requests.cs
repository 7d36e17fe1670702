using Sockeye.Adapters;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis;

public sealed partial class RedisAdapter
{
    /// <inheritdoc/>
    /// <remarks>The number of subscribers of the namespace's request channel (<c>PUBSUB NUMSUB</c>), this server included.</remarks>
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
            RequestType.RemoteFetch,
            request => request["opts"] = EncodeOptions(options, withFlags: false, timeout: null),
            item => WireSockets.FromWire(Namespace, item, SerializerOptions)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisRequestTimeoutException">Some servers did not answer within the requests timeout.</exception>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override async ValueTask<IReadOnlyCollection<string>> AllRoomsAsync()
    {
        var rooms = new HashSet<string>(GetRooms(), StringComparer.Ordinal);
        var responses = await _requests.SendAsync("allRooms", RequestType.AllRooms, _ => { }, timeoutError: null).ConfigureAwait(false);
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
        await _requests.NotifyAsync("serverSideEmit", RequestType.ServerSideEmit, request => request["data"] = EventData(eventName, args)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Each other server answers once (the first acknowledgement of its handlers), with one value; a server
    /// without a handler for the event does not answer, so the call then times out after the requests timeout.</remarks>
    /// <exception cref="AckTimeoutException">Some servers did not answer in time; the answers received are in
    /// <see cref="AckTimeoutException.Responses"/>.</exception>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is down.</exception>
    public override Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        _requests.ServerSideEmitWithAckAsync(eventName, RequestType.ServerSideEmit, "data", () => EventData(eventName, args), cancellationToken);

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

        return await _requests.BroadcastWithAckAsync(
            packet.EventName,
            timeout,
            requestId =>
            {
                var request = NewRequest(RequestType.Broadcast, requestId);
                request["packet"] = WirePacket(packet);
                request["opts"] = EncodeOptions(options, withFlags: true, timeout);

                // Always MessagePack, as the Node adapter sends it: the packet may carry binary.
                return Notepack.Encode(request);
            },
            collector => BroadcastLocalWithAck(packet, options, collector.Expect, collector.Add),
            cancellationToken).ConfigureAwait(false);
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

    private byte[] EncodeRequest(int type, string? requestId, Action<Dictionary<string, object?>> fill)
    {
        var request = NewRequest(type, requestId);
        fill(request);
        return WireValues.EncodeMessage(request);
    }

    /// <summary>Publishes a request about the sockets <paramref name="options"/> select, expecting no answer.</summary>
    private Task NotifyAsync(string operation, int type, BroadcastOptions options, Action<Dictionary<string, object?>> fill) =>
        _requests.NotifyAsync(operation, type, request =>
        {
            request["opts"] = EncodeOptions(options, withFlags: false, timeout: null);
            fill(request);
        });
}
