namespace Sockeye.Chat.Messages;

/// <summary>The outcome of storing a message.</summary>
/// <param name="Record">The stored record (the original one for a duplicate).</param>
/// <param name="Duplicate">Whether the user had already sent this <c>message_id</c>: nothing new was stored.</param>
public sealed record SaveResult(ChatMessageRecord Record, bool Duplicate);
