namespace Sockeye.Chat.Messages;

/// <summary>A row of the <c>messages</c> table.</summary>
public sealed class StoredMessage
{
    /// <summary>The server id: an identity column, increasing across rooms.</summary>
    public long Id { get; set; }

    /// <summary>The room.</summary>
    public required string Room { get; set; }

    /// <summary>The position in the room: 1, 2, 3, ... without gaps (unique with <see cref="Room"/>).</summary>
    public long Seq { get; set; }

    /// <summary>The author, from the token.</summary>
    public required string UserId { get; set; }

    /// <summary>The client's id for de-duplication (unique with <see cref="UserId"/> when present).</summary>
    public Guid? MessageId { get; set; }

    /// <summary>The text.</summary>
    public required string Text { get; set; }

    /// <summary>When the server stored it, in UTC.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>The record as clients see it.</summary>
    public ChatMessageRecord ToRecord() => new(Id, MessageId, UserId, Room, Text, Timestamp, Seq);
}
