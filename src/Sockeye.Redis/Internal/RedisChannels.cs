using StackExchange.Redis;

namespace Sockeye.Redis.Internal;

/// <summary>
/// The channel names of one namespace, as <c>@socket.io/redis-adapter</c> 8.x names them (PROTOCOL.md §4.2). The room
/// channel exists so that a node without members of the room can drop the message before decoding it.
/// </summary>
internal sealed class RedisChannels
{
    public RedisChannels(string key, string nsp, string uid)
    {
        BroadcastPrefix = key + "#" + nsp + "#";
        Broadcast = RedisChannel.Literal(BroadcastPrefix);
        BroadcastPattern = RedisChannel.Pattern(BroadcastPrefix + "*");
        Request = RedisChannel.Literal(key + "-request#" + nsp + "#");
        var response = key + "-response#" + nsp + "#";
        Response = RedisChannel.Literal(response);
        ResponsePrefix = response;
        SpecificResponse = RedisChannel.Literal(response + uid + "#");
    }

    /// <summary><c>socket.io#&lt;nsp&gt;#</c>: the start of every broadcast channel of the namespace.</summary>
    public string BroadcastPrefix { get; }

    /// <summary>Broadcasts to everyone or to several rooms.</summary>
    public RedisChannel Broadcast { get; }

    /// <summary>Every broadcast channel of the namespace (PSUBSCRIBE).</summary>
    public RedisChannel BroadcastPattern { get; }

    /// <summary>Requests; its subscriber count is the number of servers.</summary>
    public RedisChannel Request { get; }

    /// <summary>Responses to anyone's requests.</summary>
    public RedisChannel Response { get; }

    /// <summary><c>socket.io-response#&lt;nsp&gt;#</c>, to which a node id is appended for a node's own channel.</summary>
    public string ResponsePrefix { get; }

    /// <summary>Responses for this node only (used by senders configured with <c>publishOnSpecificResponseChannel</c>).</summary>
    public RedisChannel SpecificResponse { get; }

    /// <summary>The channel of a broadcast to exactly one room.</summary>
    public RedisChannel ForRoom(string room) => RedisChannel.Literal(BroadcastPrefix + room + "#");

    /// <summary>The room a broadcast channel names, or empty for the namespace channel.</summary>
    public string RoomOf(string channel) =>
        channel.Length > BroadcastPrefix.Length ? channel[BroadcastPrefix.Length..^1] : string.Empty;
}
