using System.Security.Cryptography;
using Sockeye.Redis.Diagnostics;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

/// <summary>Publishing and requests of the sharded mode: fail fast while Redis is down, time out clearly.</summary>
public sealed partial class ShardedRedisAdapter
{
    /// <summary>A message in the cluster format: JSON, or MessagePack when its data carries binary.</summary>
    private byte[] Message(int type, Dictionary<string, object?> data) =>
        WireValues.EncodeMessage(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["type"] = (long)type,
            ["data"] = data,
            ["uid"] = Uid,
            ["nsp"] = Namespace.Name,
        });

    private async ValueTask<int> CountServersAsync(string operation)
    {
        var multiplexer = await ConnectedAsync(operation).ConfigureAwait(false);
        try
        {
            var result = await multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "SHARDNUMSUB", _channel).ConfigureAwait(false);
            var parts = (RedisResult[])result!;
            return parts.Length >= 2 ? (int)(long)parts[1] : 0;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _backplane.Metrics.RequestRefused(operation);
            throw new RedisBackplaneUnavailableException(operation, ex);
        }
    }

    private async Task NotifyAsync(string operation, int type, Dictionary<string, object?> data)
    {
        await ConnectedAsync(operation).ConfigureAwait(false);
        await PublishAsync(_channel, Message(type, data), operation).ConfigureAwait(false);
    }

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

        var requestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var pending = new PendingRequest(others);
        _requests[requestId] = pending;
        try
        {
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            fill(data);
            data["requestId"] = requestId;
            await PublishAsync(_channel, Message(type, data), operation).ConfigureAwait(false);
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

    private async Task PublishAsync(string channel, byte[] message, string operation)
    {
        var multiplexer = _backplane.Multiplexer;
        try
        {
            if (multiplexer is null || !_backplane.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected.");
            }

            await multiplexer.GetSubscriber().PublishAsync(RedisChannel.Sharded(channel), message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
            _backplane.Metrics.PublishFailed(operation);
            RedisLog.PublishFailed(_backplane.Logger, operation, Namespace.Name, ex);
            throw new RedisBackplaneUnavailableException(operation, ex);
        }
    }
}
