namespace Sockeye.Redis;

/// <summary>Which rooms get a channel of their own in sharded mode (the Node adapter's <c>subscriptionMode</c>).</summary>
public enum ShardedSubscriptionMode
{
    /// <summary>
    /// Public rooms (not named after a socket id) get a channel, subscribed while the room has local members; a
    /// broadcast to exactly one such room only reaches the servers that have it. The Node default.
    /// </summary>
    Dynamic,

    /// <summary>Every room, socket rooms included, gets a channel.</summary>
    DynamicPrivate,

    /// <summary>No room channel: every broadcast goes through the namespace channel.</summary>
    Static,
}
