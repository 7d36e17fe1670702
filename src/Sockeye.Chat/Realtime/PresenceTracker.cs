namespace Sockeye.Chat.Realtime;

/// <summary>
/// Who is online in each room of this server, counting connections per user: a user with two tabs joins once and
/// leaves when the last tab leaves. With Redis it is the instance's own share, which Redis sums across instances.
/// </summary>
public sealed class PresenceTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, int>> _rooms = new(StringComparer.Ordinal);

    /// <summary>Counts one more connection of a user in a room; true when it is the user's first there.</summary>
    public bool Join(string room, string userId)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var users))
            {
                users = new Dictionary<string, int>(StringComparer.Ordinal);
                _rooms[room] = users;
            }

            users.TryGetValue(userId, out var count);
            users[userId] = count + 1;
            return count == 0;
        }
    }

    /// <summary>Counts one connection fewer; true when it was the user's last in the room.</summary>
    public bool Leave(string room, string userId)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var users) || !users.TryGetValue(userId, out var count))
            {
                return false;
            }

            if (count > 1)
            {
                users[userId] = count - 1;
                return false;
            }

            users.Remove(userId);
            if (users.Count == 0)
            {
                _rooms.Remove(room);
            }

            return true;
        }
    }

    /// <summary>The users online in a room, sorted.</summary>
    public IReadOnlyList<string> Online(string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var users) ? [.. users.Keys.Order(StringComparer.Ordinal)] : [];
        }
    }

    /// <summary>Every (room, user, connections) counted now: what this instance contributes to a shared presence.</summary>
    public IReadOnlyList<(string Room, string UserId, int Connections)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _rooms.SelectMany(room => room.Value.Select(user => (room.Key, user.Key, user.Value)))];
        }
    }
}
