using System.Net;
using Microsoft.Extensions.Logging;

namespace Sockeye.Diagnostics;

/// <summary>The engine's log messages. Event ids 1000-1099.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Engine session {Sid} opened over {Transport} from {RemoteAddress}.", EventName = "SessionOpened")]
    public static partial void SessionOpened(ILogger logger, string sid, string transport, IPAddress? remoteAddress);

    [LoggerMessage(1001, LogLevel.Debug, "Engine session {Sid} upgraded to websocket.", EventName = "SessionUpgraded")]
    public static partial void SessionUpgraded(ILogger logger, string sid);

    [LoggerMessage(1002, LogLevel.Debug, "Engine session {Sid} ({Transport}) closed: {Reason} ({Description}).", EventName = "SessionClosed")]
    public static partial void SessionClosed(ILogger logger, string sid, string transport, string reason, string? description);

    [LoggerMessage(1003, LogLevel.Information, "Engine request refused with code {Code} ({Message}): {Method} {Query}.", EventName = "RequestRefused")]
    public static partial void RequestRefused(ILogger logger, int code, string message, string method, string? query);

    [LoggerMessage(1004, LogLevel.Information, "Engine session {Sid} violated the protocol: {Violation}.", EventName = "ProtocolViolation")]
    public static partial void ProtocolViolation(ILogger logger, string sid, string violation);

    [LoggerMessage(1009, LogLevel.Warning, "{Limit} handshakes are already in progress; refusing another.", EventName = "HandshakesSaturated")]
    public static partial void HandshakesSaturated(ILogger logger, int limit);

    [LoggerMessage(1005, LogLevel.Warning, "Engine session {Sid} has {Queued} packets waiting; closing it as a slow consumer.", EventName = "OutboundQueueFull")]
    public static partial void OutboundQueueFull(ILogger logger, string sid, int queued);

    [LoggerMessage(1006, LogLevel.Error, "A handler of engine session {Sid} threw.", EventName = "HandlerFailed")]
    public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);

    [LoggerMessage(1007, LogLevel.Debug, "Engine session {Sid}: the WebSocket upgrade did not complete in time.", EventName = "UpgradeTimedOut")]
    public static partial void UpgradeTimedOut(ILogger logger, string sid);

    [LoggerMessage(1008, LogLevel.Warning, "Shutdown drain timed out with {Remaining} sessions still open; closing them.", EventName = "DrainTimedOut")]
    public static partial void DrainTimedOut(ILogger logger, int remaining);
}
