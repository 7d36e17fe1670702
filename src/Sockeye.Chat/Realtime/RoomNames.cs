namespace Sockeye.Chat.Realtime;

/// <summary>The room every connection joins, and the rule for room names.</summary>
public static class RoomNames
{
    /// <summary>The default room.</summary>
    public const string Default = "chat";

    /// <summary>The longest room name.</summary>
    public const int MaxLength = 64;

    /// <summary>1 to 64 characters: ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>; nothing that could pass for a socket id room.</summary>
    public static bool IsValid(string? room)
    {
        if (string.IsNullOrEmpty(room) || room.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in room)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
