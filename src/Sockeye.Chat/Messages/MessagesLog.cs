using Microsoft.Extensions.Logging;

namespace Sockeye.Chat.Messages;

/// <summary>The persistence layer's log messages (event ids 2000–2099).</summary>
internal static partial class MessagesLog
{
    [LoggerMessage(2000, LogLevel.Information, "Applying chat database migrations ({Provider})", EventName = "Migrating")]
    public static partial void Migrating(ILogger logger, string provider);

    [LoggerMessage(2001, LogLevel.Debug, "Room {Room}: seq {Seq} was taken by another writer, retrying (attempt {Attempt})", EventName = "SeqConflict")]
    public static partial void SeqConflict(ILogger logger, string room, long seq, int attempt);

    [LoggerMessage(2002, LogLevel.Debug, "Duplicate message {MessageId} from {UserId}: answered with message {Id}", EventName = "Duplicate")]
    public static partial void Duplicate(ILogger logger, Guid messageId, string userId, long id);

    [LoggerMessage(2003, LogLevel.Warning, "The chat database is not reachable", EventName = "Unreachable")]
    public static partial void Unreachable(ILogger logger, Exception exception);
}
