namespace Sockeye.Recovery;

/// <summary>
/// A store that outlives server processes (a shared one, such as Redis). The server also hands it the sessions of its
/// connected sockets every <see cref="SnapshotInterval"/>, so that a client can recover after the server it was on died
/// without saving anything (a crash, <c>kill -9</c>).
/// </summary>
public interface IDurableConnectionStateStore : IConnectionStateStore
{
    /// <summary>How often the server hands over the sessions of its connected sockets.</summary>
    /// <remarks>A client whose server dies gets back its rooms and data as they were at the last snapshot.</remarks>
    TimeSpan SnapshotInterval { get; }

    /// <summary>Keeps the sessions of the sockets connected to this server now, with their rooms and data as they are.</summary>
    /// <param name="sessions">Every connected socket with recovery (their <see cref="RecoverySession.DisconnectedAt"/> is
    /// the time of the snapshot).</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    ValueTask SaveConnectedAsync(IReadOnlyList<RecoverySession> sessions, CancellationToken cancellationToken);
}
