namespace Sockeye.Recovery;

/// <summary>A recoverable event kept for clients that may have missed it.</summary>
/// <param name="Offset">Its position in the log, also sent to clients as the event's last argument.</param>
/// <param name="EventName">The event name.</param>
/// <param name="Args">The arguments, without the offset.</param>
/// <param name="Rooms">The rooms it was sent to (empty: the whole namespace).</param>
/// <param name="Except">The rooms left out.</param>
/// <param name="EmittedAt">When it was sent.</param>
public sealed record StoredPacket(
    string Offset,
    string EventName,
    IReadOnlyList<object?> Args,
    IReadOnlySet<string> Rooms,
    IReadOnlySet<string> Except,
    DateTimeOffset EmittedAt)
{
    /// <summary>Whether a session with these rooms would have received the packet.</summary>
    public bool IsFor(IReadOnlyList<string> sessionRooms)
    {
        ArgumentNullException.ThrowIfNull(sessionRooms);
        foreach (var room in sessionRooms)
        {
            if (Except.Contains(room))
            {
                return false;
            }
        }

        if (Rooms.Count == 0)
        {
            return true;
        }

        foreach (var room in sessionRooms)
        {
            if (Rooms.Contains(room))
            {
                return true;
            }
        }

        return false;
    }
}
