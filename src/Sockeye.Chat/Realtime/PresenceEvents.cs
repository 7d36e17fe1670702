namespace Sockeye.Chat.Realtime;

/// <summary>The presence events of a room, emitted by the realtime handlers and by the cluster's presence upkeep.</summary>
internal static class PresenceEvents
{
    /// <summary>A user's first connection in a room.</summary>
    public const string Joined = "user_joined";

    /// <summary>A user's last connection in a room went away.</summary>
    public const string Left = "user_left";

    /// <summary>The payload of both events: <c>{ user_id, room }</c>.</summary>
    public static object Payload(string userId, string room) => new { user_id = userId, room };
}
