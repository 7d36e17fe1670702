namespace Sockeye.Chat.Realtime;

/// <summary>The realtime module's log messages (no token and no message text at Information level). Event ids 5000-5099.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(5000, LogLevel.Information, "User {UserId} connected as socket {SocketId}.", EventName = "UserConnected")]
    public static partial void UserConnected(ILogger logger, string userId, string socketId);

    [LoggerMessage(5001, LogLevel.Information, "Socket {SocketId} refused: {Code}.", EventName = "ConnectionRefused")]
    public static partial void ConnectionRefused(ILogger logger, string socketId, string code);

    [LoggerMessage(5002, LogLevel.Information, "User {UserId} left as socket {SocketId}: {Reason}.", EventName = "UserDisconnected")]
    public static partial void UserDisconnected(ILogger logger, string userId, string socketId, string reason);

    [LoggerMessage(5003, LogLevel.Debug, "Message {Id} stored in {Room} (seq {Seq}) for user {UserId}.", EventName = "MessageStored")]
    public static partial void MessageStored(ILogger logger, long id, string room, long seq, string userId);

    [LoggerMessage(5004, LogLevel.Error, "Storing a message of user {UserId} in {Room} failed.", EventName = "StoreFailed")]
    public static partial void StoreFailed(ILogger logger, string userId, string room, Exception exception);

    [LoggerMessage(5005, LogLevel.Debug, "Socket {SocketId} sent an invalid {EventName}: {Code} on {Field}.", EventName = "Rejected")]
    public static partial void Rejected(ILogger logger, string socketId, string eventName, string code, string? field);

    [LoggerMessage(5006, LogLevel.Error, "Reading the messages of {Room} for {EventName} failed.", EventName = "ReadFailed")]
    public static partial void ReadFailed(ILogger logger, string room, string eventName, Exception exception);
}
