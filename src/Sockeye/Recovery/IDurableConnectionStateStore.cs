namespace Sockeye.Recovery;

/// <summary>
/// A store that outlives server processes (a shared one, such as Redis). The server also hands it the sessions of its
/// connected sockets, all of them every <see cref="SnapshotInterval"/> and those that connected or changed rooms within
/// about 50 ms, so that a client can recover after the server it was on died without saving anything (a crash,
/// <c>kill -9</c>).
/// </summary>
public interface IDurableConnectionStateStore : IConnectionStateStore
{
    /// <summary>How often the server hands over the sessions of all its connected sockets.</summary>
    /// <remarks>A client whose server dies gets back its rooms as they were, and its data as it was at the last complete
    /// snapshot (changes to <see cref="Socket.Data"/> are not observed).</remarks>
    TimeSpan SnapshotInterval { get; }

    /// <summary>Keeps the sessions of sockets connected to this server now, with their rooms and data as they are.</summary>
    /// <param name="sessions">The sessions (their <see cref="RecoverySession.DisconnectedAt"/> is the time of the
    /// snapshot).</param>
    /// <param name="complete">Whether these are all the sockets connected to this server (a periodic snapshot), or only
    /// those that connected or changed rooms.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <remarks>Calls never overlap.</remarks>
    ValueTask SaveConnectedAsync(IReadOnlyList<RecoverySession> sessions, bool complete, CancellationToken cancellationToken);
}
