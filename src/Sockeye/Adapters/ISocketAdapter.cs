using Sockeye.Recovery;

namespace Sockeye.Adapters;

/// <summary>
/// Where the sockets and rooms of one namespace live and where a broadcast goes: in this process
/// (<see cref="InMemoryAdapter"/>) or across a cluster.
/// </summary>
/// <remarks>Room membership is indexed both ways (room to sockets, socket to rooms) so that a disconnect costs the
/// rooms of that socket, not all rooms.</remarks>
public interface ISocketAdapter : IAsyncDisposable
{
    /// <summary>Adds a local socket to rooms.</summary>
    void AddAll(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a local socket from a room.</summary>
    void Delete(string socketId, string room);

    /// <summary>Removes a local socket from every room.</summary>
    void DeleteAll(string socketId);

    /// <summary>The rooms of a local socket (a snapshot).</summary>
    IReadOnlySet<string> GetSocketRooms(string socketId);

    /// <summary>The rooms that have local members (a snapshot).</summary>
    IReadOnlyCollection<string> GetRooms();

    /// <summary>Sends a packet to the matching sockets.</summary>
    ValueTask BroadcastAsync(BroadcastPacket packet, BroadcastOptions options);

    /// <summary>
    /// Sends a packet that connection state recovery keeps: appends it to <paramref name="store"/> and sends it with its
    /// offset as its last argument, so that a client that reconnects can say what it saw last.
    /// </summary>
    /// <remarks>The default appends, then calls <see cref="BroadcastAsync"/>. A cluster adapter may instead make every
    /// server deliver recoverable packets in offset order, so that a client's last offset says exactly what it has
    /// received.</remarks>
    async ValueTask BroadcastRecoverableAsync(BroadcastPacket packet, BroadcastOptions options, IConnectionStateStore store)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(store);
        var offset = await store.AppendAsync(packet.Namespace, packet.EventName, packet.Args, options).ConfigureAwait(false);
        await BroadcastAsync(packet.WithOffset(offset), options).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a packet with an acknowledgement id to the matching sockets and collects one answer per recipient.
    /// </summary>
    /// <exception cref="AckTimeoutException">Not every recipient answered in time; the answers received so far are
    /// in <see cref="AckTimeoutException.Responses"/>.</exception>
    Task<IReadOnlyList<SocketArguments>> BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The matching sockets.</summary>
    ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options);

    /// <summary>Makes the matching sockets join rooms.</summary>
    ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Makes the matching sockets leave rooms.</summary>
    ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Disconnects the matching sockets; with <paramref name="close"/> their whole connections.</summary>
    ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close);

    /// <summary>The number of servers in the cluster (1 in memory).</summary>
    ValueTask<int> ServerCountAsync();

    /// <summary>The rooms that have members on any server of the cluster.</summary>
    ValueTask<IReadOnlyCollection<string>> AllRoomsAsync();

    /// <summary>Sends an event to the other servers of the cluster (their <c>OnServerSideEmit</c> handlers).</summary>
    ValueTask ServerSideEmitAsync(string eventName, object?[] args);

    /// <summary>
    /// Sends an event to the other servers of the cluster and collects one answer from each (none in memory).
    /// </summary>
    /// <exception cref="AckTimeoutException">Some servers did not answer in time; the answers received so far are in
    /// <see cref="AckTimeoutException.Responses"/>.</exception>
    Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken);
}
