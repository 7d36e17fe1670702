using Microsoft.Extensions.Logging;

namespace Sockeye.Diagnostics;

/// <summary>The Socket.IO layer's log messages. Event ids 2000-2099.</summary>
internal static partial class SocketIOLog
{
    [LoggerMessage(2000, LogLevel.Debug, "Socket {SocketId} connected to {Namespace} over engine session {Sid}.", EventName = "SocketConnected")]
    public static partial void SocketConnected(ILogger logger, string socketId, string @namespace, string sid);

    [LoggerMessage(2001, LogLevel.Debug, "Socket {SocketId} left {Namespace}: {Reason}.", EventName = "SocketDisconnected")]
    public static partial void SocketDisconnected(ILogger logger, string socketId, string @namespace, string reason);

    [LoggerMessage(2002, LogLevel.Information, "Engine session {Sid} sent an invalid Socket.IO packet: {Error}.", EventName = "ParseError")]
    public static partial void ParseError(ILogger logger, string sid, string error);

    [LoggerMessage(2003, LogLevel.Error, "The '{EventName}' handler of {Id} threw.", EventName = "HandlerFailed")]
    public static partial void HandlerFailed(ILogger logger, string id, string eventName, Exception exception);

    [LoggerMessage(2004, LogLevel.Error, "Connection middleware of {Namespace} threw; the client gets a generic connect_error.", EventName = "MiddlewareFailed")]
    public static partial void MiddlewareFailed(ILogger logger, string @namespace, Exception exception);

    [LoggerMessage(2005, LogLevel.Debug, "Engine session {Sid} asked to connect to {Namespace} twice; ignored.", EventName = "DuplicateConnect")]
    public static partial void DuplicateConnect(ILogger logger, string sid, string @namespace);

    [LoggerMessage(2007, LogLevel.Warning, "Namespace {Namespace} refused: {Limit} dynamic namespaces exist (MaxDynamicNamespaces).", EventName = "TooManyNamespaces")]
    public static partial void TooManyNamespaces(ILogger logger, string @namespace, int limit);

    [LoggerMessage(2008, LogLevel.Information, "Engine session {Sid} asked for an invalid namespace name.", EventName = "InvalidNamespaceName")]
    public static partial void InvalidNamespaceName(ILogger logger, string sid);

    [LoggerMessage(2006, LogLevel.Debug, "Socket {SocketId} sent an unexpected {PacketType} packet; ignored.", EventName = "UnexpectedPacket")]
    public static partial void UnexpectedPacket(ILogger logger, string socketId, string packetType);

    [LoggerMessage(2009, LogLevel.Warning, "The connection state store could not restore a session of {Namespace}; the client starts afresh.", EventName = "RestoreFailed")]
    public static partial void RestoreFailed(ILogger logger, string @namespace, Exception exception);

    [LoggerMessage(2010, LogLevel.Warning, "The packets missed by recovered socket {SocketId} of {Namespace} could not be read; its connection is closed so that it tries again.", EventName = "ReplayFailed")]
    public static partial void ReplayFailed(ILogger logger, string socketId, string @namespace, Exception? exception);

    [LoggerMessage(2011, LogLevel.Warning, "The session of socket {SocketId} of {Namespace} could not be kept for recovery.", EventName = "SessionNotSaved")]
    public static partial void SessionNotSaved(ILogger logger, string socketId, string @namespace, Exception exception);

    [LoggerMessage(2012, LogLevel.Warning, "The sessions of connected sockets could not be handed to the connection state store.", EventName = "SnapshotFailed")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(2013, LogLevel.Warning, "The connection state store could not keep '{EventName}' of {Namespace}; it was sent without an offset.", EventName = "PacketNotKept")]
    public static partial void PacketNotKept(ILogger logger, string eventName, string @namespace, Exception exception);
}
