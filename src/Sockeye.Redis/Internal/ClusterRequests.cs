using System.Collections.Concurrent;
using Sockeye.Adapters;
using Sockeye.Redis.Diagnostics;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis.Internal;

/// <summary>Encodes a request of the adapter's protocol: its type, its id when it expects answers, and the fields <paramref name="fill"/> adds.</summary>
internal delegate byte[] RequestEncoder(int type, string? requestId, Action<Dictionary<string, object?>> fill);

/// <summary>
/// The requests one namespace adapter makes to the other servers, in either mode: each expects one response from every
/// other server (counted just before), up to the requests timeout; a broadcast with acknowledgements also collects
/// the answers of their clients. The adapter hands every response it receives to <see cref="OnResponse"/>.
/// </summary>
/// <param name="link">Where requests are published.</param>
/// <param name="newRequestId">Makes request ids, in the mode's format.</param>
/// <param name="encode">Encodes requests in the mode's format.</param>
/// <param name="clientCountType">The type of the response that reports how many clients got a broadcast.</param>
/// <param name="ackType">The type of the response that carries a client's acknowledgement of a broadcast.</param>
/// <param name="createArguments">Turns a received value into acknowledgement arguments.</param>
internal sealed class ClusterRequests(
    ClusterLink link,
    Func<string> newRequestId,
    RequestEncoder encode,
    int clientCountType,
    int ackType,
    Func<IReadOnlyList<object?>, SocketArguments> createArguments)
{
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckCollector> _ackRequests = new(StringComparer.Ordinal);

    private RedisBackplane Backplane => link.Backplane;

    /// <summary>Publishes a request that expects no answer.</summary>
    public async Task NotifyAsync(string operation, int type, Action<Dictionary<string, object?>> fill)
    {
        await link.ConnectedAsync(operation).ConfigureAwait(false);
        await link.PublishAsync(link.Requests, encode(type, null, fill), operation).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a request and waits for one response from every other server (the count is taken just before), up to
    /// the requests timeout. On timeout, <paramref name="timeoutError"/> turns the responses received into the
    /// exception thrown (a <see cref="RedisRequestTimeoutException"/> by default).
    /// </summary>
    public async Task<IReadOnlyList<Dictionary<string, object?>>> SendAsync(
        string operation,
        int type,
        Action<Dictionary<string, object?>> fill,
        Func<IReadOnlyList<Dictionary<string, object?>>, Exception>? timeoutError,
        CancellationToken cancellationToken = default)
    {
        var others = await link.CountServersAsync(operation).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return [];
        }

        var requestId = newRequestId();
        var pending = new PendingRequest(others);
        _requests[requestId] = pending;
        try
        {
            await link.PublishAsync(link.Requests, encode(type, requestId, fill), operation).ConfigureAwait(false);
            try
            {
                await pending.Completion.WaitAsync(Backplane.Options.RequestsTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                var received = pending.Snapshot();
                Backplane.Metrics.RequestTimedOut(operation);
                RedisLog.RequestTimedOut(Backplane.Logger, operation, link.Namespace, received.Count, others);
                throw timeoutError?.Invoke(received) ?? new RedisRequestTimeoutException(operation, others, received.Count, Backplane.Options.RequestsTimeout);
            }

            return pending.Snapshot();
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    /// <summary>
    /// The sockets of every other server, after the <paramref name="local"/> ones: each server answers with its
    /// matching sockets in the response's <c>sockets</c> array, which <paramref name="fromWire"/> reads.
    /// </summary>
    public async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(
        IReadOnlyList<RemoteSocket> local,
        int type,
        Action<Dictionary<string, object?>> fill,
        Func<object?, RemoteSocket?> fromWire)
    {
        var responses = await SendAsync("fetchSockets", type, fill, timeoutError: null).ConfigureAwait(false);
        var result = new List<RemoteSocket>(local);
        foreach (var response in responses)
        {
            foreach (var item in response.Array("sockets") ?? [])
            {
                if (fromWire(item) is { } socket)
                {
                    result.Add(socket);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// A server-side emit whose handlers on every other server answer once: the event travels in the request's
    /// <paramref name="field"/>, and each answer comes back in the same field of the response.
    /// </summary>
    /// <exception cref="AckTimeoutException">Some servers did not answer in time; the answers received are in
    /// <see cref="AckTimeoutException.Responses"/>.</exception>
    public async Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(
        string eventName,
        int type,
        string field,
        Func<object?[]> eventData,
        CancellationToken cancellationToken)
    {
        var responses = await SendAsync(
            "serverSideEmit",
            type,
            request => request[field] = eventData(),
            partial => new AckTimeoutException(eventName, Backplane.Options.RequestsTimeout, [.. partial.Select(ToArguments)]),
            cancellationToken).ConfigureAwait(false);
        return [.. responses.Select(ToArguments)];

        SocketArguments ToArguments(Dictionary<string, object?> response) => createArguments([response.Field(field)]);
    }

    /// <summary>
    /// A broadcast with acknowledgements: the other servers get the request <paramref name="encodeBroadcast"/> makes
    /// from its id, report how many of their clients got the packet, then relay each client's answer; the local clients
    /// get it through <paramref name="broadcastLocal"/>. If Redis is down the packet reaches this server's clients only.
    /// </summary>
    public async Task<IReadOnlyList<SocketArguments>> BroadcastWithAckAsync(
        string eventName,
        TimeSpan timeout,
        Func<string, byte[]> encodeBroadcast,
        Action<AckCollector> broadcastLocal,
        CancellationToken cancellationToken)
    {
        var collector = new AckCollector();
        string? requestId = null;
        try
        {
            var others = await link.CountServersAsync("broadcastWithAck").ConfigureAwait(false) - 1;
            if (others > 0)
            {
                requestId = newRequestId();
                _ackRequests[requestId] = collector;
                collector.ExpectServers(others);
                try
                {
                    // Always the request channel: every server counted must get it, members of the rooms or not.
                    await link.PublishAsync(link.Requests, encodeBroadcast(requestId), "broadcast").ConfigureAwait(false);
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
            broadcastLocal(collector);
            return await collector.WaitAsync(eventName, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (requestId is not null)
            {
                _ackRequests.TryRemove(requestId, out _);
            }
        }
    }

    /// <summary>Whether this server is collecting the acknowledgements of the broadcast <paramref name="requestId"/>.</summary>
    public bool IsCollectingAcks(string requestId) => _ackRequests.ContainsKey(requestId);

    /// <summary>A response to a request of this server (other responses are ignored).</summary>
    public void OnResponse(string requestId, long? type, IReadOnlyDictionary<string, object?> response)
    {
        if (_ackRequests.TryGetValue(requestId, out var collector))
        {
            if (type == clientCountType)
            {
                collector.ServerCounted((int)(response.Integer("clientCount") ?? 0));
            }
            else if (type == ackType)
            {
                collector.Add(createArguments([response.Field("packet")]));
            }
        }
        else if (_requests.TryGetValue(requestId, out var pending) && response is Dictionary<string, object?> complete)
        {
            pending.Add(complete);
        }
    }
}
