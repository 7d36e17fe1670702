namespace Sockeye.Chat.Realtime;

/// <summary>
/// Who is online in each room, counting connections per user: a user with two tabs (on one server or on two) joins
/// once and leaves when the last tab leaves. In process by default (<see cref="LocalRoomPresence"/>); shared by every
/// instance through Redis when <c>REDIS_URL</c> is set.
/// </summary>
public interface IRoomPresence
{
    /// <summary>Counts one more connection of a user in a room; true when it is the user's first connection there.</summary>
    ValueTask<bool> JoinAsync(string room, string userId);

    /// <summary>Counts one connection fewer; true when it was the user's last connection in the room.</summary>
    ValueTask<bool> LeaveAsync(string room, string userId);

    /// <summary>The users online in a room, sorted (ordinal).</summary>
    ValueTask<IReadOnlyList<string>> OnlineAsync(string room);
}
