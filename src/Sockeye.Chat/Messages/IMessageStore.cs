namespace Sockeye.Chat.Messages;

/// <summary>Where chat messages are persisted.</summary>
public interface IMessageStore
{
    /// <summary>
    /// Stores a message and returns the stored row, or, when the same user already stored a message with the same
    /// client <paramref name="messageId"/>, returns that original row without storing anything.
    /// </summary>
    Task<SaveResult> SaveAsync(string userId, string room, string text, Guid? messageId, CancellationToken cancellationToken);

    /// <summary>A page of a room's history, newest first: messages with an id below <paramref name="before"/> (all when null).</summary>
    Task<IReadOnlyList<ChatMessageRecord>> GetHistoryAsync(string room, long? before, int limit, CancellationToken cancellationToken);

    /// <summary>A room's messages with a sequence above <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<ChatMessageRecord>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Whether the database answers.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
