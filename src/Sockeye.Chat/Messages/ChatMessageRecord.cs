namespace Sockeye.Chat.Messages;

/// <summary>A stored chat message, as it is emitted (<c>new_message</c>), acknowledged and returned by the API.</summary>
/// <param name="Id">The server id, unique across rooms and increasing.</param>
/// <param name="MessageId">The client's id for de-duplication, when it sent one.</param>
/// <param name="UserId">The author, from the token.</param>
/// <param name="Room">The room.</param>
/// <param name="Text">The text, trimmed.</param>
/// <param name="Timestamp">When the server stored it.</param>
/// <param name="Seq">The position in its room: 1, 2, 3, ... without gaps.</param>
public sealed record ChatMessageRecord(long Id, Guid? MessageId, string UserId, string Room, string Text, DateTimeOffset Timestamp, long Seq);
