using Sockeye.Adapters;

namespace Sockeye.Recovery;

/// <summary>
/// Keeps disconnected sessions and the recoverable packets they may miss. In memory for one process
/// (<see cref="InMemoryConnectionStateStore"/>); a shared store (Redis) lets a client recover on another node or after
/// a restart.
/// </summary>
public interface IConnectionStateStore
{
    /// <summary>Keeps a recoverable broadcast and returns its offset (appended to the event's arguments).</summary>
    ValueTask<string> AppendAsync(string nsp, string eventName, IReadOnlyList<object?> args, BroadcastOptions options);

    /// <summary>Keeps a disconnected session until it is restored or expires.</summary>
    ValueTask SaveSessionAsync(RecoverySession session);

    /// <summary>
    /// Takes a session back (a session is restored at most once) if it is known, not expired, and
    /// <paramref name="offset"/> is still kept; otherwise says why not.
    /// </summary>
    ValueTask<RestoreResult> RestoreAsync(string nsp, string pid, string offset);

    /// <summary>
    /// The packets kept after <paramref name="offset"/> that a socket in <paramref name="rooms"/> would have received,
    /// oldest first; <see langword="null"/> when the offset is no longer kept.
    /// </summary>
    /// <remarks>The server calls it once the restored socket is back in its rooms and holds the live packets until
    /// the replay is out: a packet emitted during the restore is then either read here or delivered live (or both, and
    /// sent once), never lost.</remarks>
    ValueTask<IReadOnlyList<StoredPacket>?> ReadAfterAsync(string nsp, string offset, IReadOnlyList<string> rooms);

    /// <summary>
    /// Orders two offsets of this store: negative when <paramref name="offset"/> was appended before
    /// <paramref name="other"/>, zero when they are the same, positive after; <see langword="null"/> when either is not
    /// an offset of this store. The default cannot tell.
    /// </summary>
    /// <remarks>After a restore, a server that is behind the others in delivering a shared log may still deliver
    /// packets the client already has (it received them from its previous server, or in the replay); the socket drops
    /// live packets at or before the last offset it replayed until a newer one arrives.</remarks>
    int? CompareOffsets(string offset, string other) => null;
}
