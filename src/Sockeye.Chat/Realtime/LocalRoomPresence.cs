namespace Sockeye.Chat.Realtime;

/// <summary>Presence of a single instance: the connections of this process, as <see cref="PresenceTracker"/> counts them.</summary>
internal sealed class LocalRoomPresence(PresenceTracker tracker) : IRoomPresence
{
    public ValueTask<bool> JoinAsync(string room, string userId) => ValueTask.FromResult(tracker.Join(room, userId));

    public ValueTask<bool> LeaveAsync(string room, string userId) => ValueTask.FromResult(tracker.Leave(room, userId));

    public ValueTask<IReadOnlyList<string>> OnlineAsync(string room) => ValueTask.FromResult(tracker.Online(room));
}
