using Microsoft.Extensions.Logging;

namespace Sockeye.Redis.Diagnostics;

/// <summary>The Redis adapter's log messages. Event ids 3000-3099.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(3000, LogLevel.Warning, "The Redis backplane is down ({FailureType} on {EndPoint}): broadcasts reach this server's clients only, and cluster requests fail, until it is back.", EventName = "BackplaneDown")]
    public static partial void BackplaneDown(ILogger logger, string failureType, string endPoint, Exception? exception);

    [LoggerMessage(3001, LogLevel.Information, "The Redis backplane is up again ({EndPoint}); subscriptions are restored.", EventName = "BackplaneUp")]
    public static partial void BackplaneUp(ILogger logger, string endPoint);

    [LoggerMessage(3002, LogLevel.Warning, "Publishing a {Operation} of namespace {Namespace} to Redis failed; it reached this server's clients only.", EventName = "PublishFailed")]
    public static partial void PublishFailed(ILogger logger, string operation, string @namespace, Exception exception);

    [LoggerMessage(3003, LogLevel.Warning, "The {Operation} request of namespace {Namespace} timed out with {Received} of {Expected} responses.", EventName = "RequestTimedOut")]
    public static partial void RequestTimedOut(ILogger logger, string operation, string @namespace, int received, int expected);

    [LoggerMessage(3004, LogLevel.Debug, "Ignored a malformed message on {Channel}.", EventName = "MalformedMessage")]
    public static partial void MalformedMessage(ILogger logger, string channel, Exception? exception);

    [LoggerMessage(3005, LogLevel.Error, "Handling a type {RequestType} request on namespace {Namespace} failed.", EventName = "RequestFailed")]
    public static partial void RequestFailed(ILogger logger, long requestType, string @namespace, Exception exception);

    [LoggerMessage(3006, LogLevel.Debug, "Namespace {Namespace} subscribed to Redis as node {Uid}.", EventName = "Subscribed")]
    public static partial void Subscribed(ILogger logger, string @namespace, string uid);

    [LoggerMessage(3007, LogLevel.Warning, "Namespace {Namespace} could not subscribe to Redis yet; retrying when the connection is back.", EventName = "SubscribeFailed")]
    public static partial void SubscribeFailed(ILogger logger, string @namespace, Exception exception);

    [LoggerMessage(3008, LogLevel.Warning, "A recovery session in Redis could not be read; its client starts afresh.", EventName = "MalformedSession")]
    public static partial void MalformedSession(ILogger logger, Exception exception);

    [LoggerMessage(3009, LogLevel.Warning, "The sessions of connected sockets could not be written to Redis; their clients recover from an older snapshot if this server dies.", EventName = "SnapshotNotWritten")]
    public static partial void SnapshotNotWritten(ILogger logger, Exception exception);

    [LoggerMessage(3010, LogLevel.Warning, "The data of socket {SocketId} cannot be serialized to JSON: it cannot recover on another server.", EventName = "SessionNotSerializable")]
    public static partial void SessionNotSerializable(ILogger logger, string socketId, Exception exception);
}
