namespace Sockeye.Chat.Realtime;

/// <summary>Counts each user's connections on this server and refuses one beyond the limit.</summary>
public sealed class ConnectionLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Takes a slot for the user; false when the user is at <paramref name="limit"/>.</summary>
    public bool TryAcquire(string userId, int limit)
    {
        lock (_lock)
        {
            _counts.TryGetValue(userId, out var count);
            if (count >= limit)
            {
                return false;
            }

            _counts[userId] = count + 1;
            return true;
        }
    }

    /// <summary>Gives a slot back.</summary>
    public void Release(string userId)
    {
        lock (_lock)
        {
            if (_counts.TryGetValue(userId, out var count))
            {
                if (count <= 1)
                {
                    _counts.Remove(userId);
                }
                else
                {
                    _counts[userId] = count - 1;
                }
            }
        }
    }
}
