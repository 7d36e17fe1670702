using System.Text.Json;

namespace Sockeye.Chat.Realtime;

/// <summary>A validated <c>chat_message</c> payload.</summary>
/// <param name="Text">The text, trimmed.</param>
/// <param name="MessageId">The client's id for de-duplication.</param>
/// <param name="Room">The target room.</param>
public sealed record ChatMessageInput(string Text, Guid? MessageId, string Room)
{
    /// <summary>The longest text, in UTF-16 code units after trimming.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>Validates a payload; returns the input or the first error found.</summary>
    public static (ChatMessageInput? Input, ChatError? Error) Parse(SocketArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args.Args[0].ValueKind != JsonValueKind.Object)
        {
            return (null, ChatError.Invalid("payload", "chat_message expects an object { text, message_id?, room? }"));
        }

        var payload = args.Args[0];
        if (!payload.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
        {
            return (null, ChatError.Invalid("text", "text is required and must be a string"));
        }

        var text = textElement.GetString()!.Trim();
        if (text.Length == 0)
        {
            return (null, ChatError.Invalid("text", "text must not be empty"));
        }

        if (text.Length > MaxTextLength)
        {
            return (null, ChatError.Invalid("text", $"text must be at most {MaxTextLength} characters"));
        }

        Guid? messageId = null;
        if (payload.TryGetProperty("message_id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            if (idElement.ValueKind != JsonValueKind.String || !Guid.TryParse(idElement.GetString(), out var parsed))
            {
                return (null, ChatError.Invalid("message_id", "message_id must be a UUID"));
            }

            messageId = parsed;
        }

        var room = RoomNames.Default;
        if (payload.TryGetProperty("room", out var roomElement) && roomElement.ValueKind != JsonValueKind.Null)
        {
            room = roomElement.ValueKind == JsonValueKind.String ? roomElement.GetString()! : string.Empty;
            if (!RoomNames.IsValid(room))
            {
                return (null, ChatError.Invalid("room", "room must be 1-64 letters, digits, '_', '-' or '.'"));
            }
        }

        return (new ChatMessageInput(text, messageId, room), null);
    }
}
