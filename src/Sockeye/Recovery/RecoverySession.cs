namespace Sockeye.Recovery;

/// <summary>What is kept of a socket that disconnected for a reason it may recover from.</summary>
/// <param name="Pid">The private session id the client presents to recover.</param>
/// <param name="Sid">The socket id it gets back.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Rooms">Its rooms (including its own id).</param>
/// <param name="Data">Its <see cref="Socket.Data"/>.</param>
/// <param name="DisconnectedAt">When it disconnected.</param>
public sealed record RecoverySession(
    string Pid,
    string Sid,
    string Namespace,
    IReadOnlyList<string> Rooms,
    IReadOnlyDictionary<string, object?> Data,
    DateTimeOffset DisconnectedAt);
