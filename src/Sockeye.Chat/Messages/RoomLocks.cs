namespace Sockeye.Chat.Messages;

/// <summary>
/// One asynchronous lock per room, so that writers of one room take turns while other rooms proceed. A room's entry
/// exists only while someone holds or waits for it.
/// </summary>
internal sealed class RoomLocks
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The rooms with a holder or a waiter now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Waits for the room's lock; dispose the result to release it.</summary>
    public async ValueTask<Releaser> AcquireAsync(string room, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(room, out entry!))
            {
                entry = new Entry();
                _entries[room] = entry;
            }

            // Counted before waiting: the entry must not be removed while someone is queued on its semaphore.
            entry.References++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Unreference(room, entry);
            throw;
        }

        return new Releaser(this, room, entry);
    }

    private void Release(string room, Entry entry)
    {
        entry.Semaphore.Release();
        Unreference(room, entry);
    }

    private void Unreference(string room, Entry entry)
    {
        lock (_lock)
        {
            // Removed under the same lock that adds references, so a new waiter never queues on a removed entry.
            if (--entry.References == 0)
            {
                _entries.Remove(room);
                entry.Semaphore.Dispose();
            }
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int References { get; set; }
    }

    /// <summary>Releases a room's lock.</summary>
    public readonly struct Releaser : IDisposable
    {
        private readonly RoomLocks _owner;
        private readonly string _room;
        private readonly Entry _entry;

        internal Releaser(RoomLocks owner, string room, Entry entry)
        {
            _owner = owner;
            _room = room;
            _entry = entry;
        }

        /// <inheritdoc/>
        public void Dispose() => _owner?.Release(_room, _entry);
    }
}
