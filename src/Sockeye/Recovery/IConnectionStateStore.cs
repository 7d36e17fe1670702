using Sockeye.Adapters;

namespace Sockeye.Recovery;

/// <summary>
/// Keeps disconnected sessions and the recoverable packets they may miss. In memory for one process; a shared store
/// (Redis) lets a client recover on another node or after a restart.
/// </summary>
public interface IConnectionStateStore
{
    /// <summary>Keeps a recoverable broadcast and returns its offset (appended to the event's arguments).</summary>
    ValueTask<string> AppendAsync(string nsp, string eventName, IReadOnlyList<object?> args, BroadcastOptions options);

    /// <summary>Keeps a disconnected session until it is restored or expires.</summary>
    ValueTask SaveSessionAsync(RecoverySession session);

    /// <summary>
    /// Takes a session back with the packets after <paramref name="offset"/> that were meant for it, oldest first;
    /// <see langword="null"/> when the session is unknown or expired, or the offset is no longer kept.
    /// </summary>
    ValueTask<RecoveredState?> RestoreAsync(string nsp, string pid, string offset);
}

/// <summary>A restored session and what it missed.</summary>
/// <param name="Session">The session.</param>
/// <param name="Missed">The packets it missed, oldest first.</param>
public sealed record RecoveredState(RecoverySession Session, IReadOnlyList<StoredPacket> Missed);
