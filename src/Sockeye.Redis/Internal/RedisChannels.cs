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
        All = RedisChannel.Pattern(EscapeGlob(key) + "*#" + EscapeGlob(nsp) + "#*");
        RequestName = key + "-request#" + nsp + "#";
        Request = RedisChannel.Literal(RequestName);
        var response = key + "-response#" + nsp + "#";
        Response = RedisChannel.Literal(response);
        ResponsePrefix = response;
        SpecificResponseName = response + uid + "#";
        SpecificResponse = RedisChannel.Literal(SpecificResponseName);
    }

    /// <summary><c>socket.io#&lt;nsp&gt;#</c>: the start of every broadcast channel of the namespace.</summary>
    public string BroadcastPrefix { get; }

    /// <summary>Broadcasts to everyone or to several rooms.</summary>
    public RedisChannel Broadcast { get; }

    /// <summary>
    /// One pattern for every channel of the namespace (broadcasts, requests, responses), so that all of them reach the
    /// adapter through one ordered queue: a <c>socketsJoin</c> followed by a broadcast to the joined room, from one
    /// sender, is handled in that order. It also matches channels of other keys and namespaces that happen to fit the
    /// glob; <see cref="Classify"/> sorts them out.
    /// </summary>
    public RedisChannel All { get; }

    /// <summary>Requests; its subscriber count is the number of servers.</summary>
    public RedisChannel Request { get; }

    /// <summary>Responses to anyone's requests.</summary>
    public RedisChannel Response { get; }

    /// <summary><c>socket.io-response#&lt;nsp&gt;#</c>, to which a node id is appended for a node's own channel.</summary>
    public string ResponsePrefix { get; }

    /// <summary>Responses for this node only (used by senders configured with <c>publishOnSpecificResponseChannel</c>).</summary>
    public RedisChannel SpecificResponse { get; }

    /// <summary>What a channel matched by <see cref="All"/> carries for this adapter.</summary>
    public ChannelKind Classify(string channel)
    {
        if (channel.StartsWith(BroadcastPrefix, StringComparison.Ordinal))
        {
            return ChannelKind.Broadcast;
        }

        if (channel == RequestName)
        {
            return ChannelKind.Request;
        }

        return channel == ResponsePrefix || channel == SpecificResponseName ? ChannelKind.Response : ChannelKind.None;
    }

    /// <summary>The channel of a broadcast to exactly one room.</summary>
    public RedisChannel ForRoom(string room) => RedisChannel.Literal(BroadcastPrefix + room + "#");

    private string RequestName { get; }

    private string SpecificResponseName { get; }

    /// <summary>The room a broadcast channel names, or empty for the namespace channel.</summary>
    public string RoomOf(string channel) =>
        channel.Length > BroadcastPrefix.Length ? channel[BroadcastPrefix.Length..^1] : string.Empty;

    private static string EscapeGlob(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}

/// <summary>What a channel of the namespace carries.</summary>
internal enum ChannelKind
{
    None,
    Broadcast,
    Request,
    Response,
}
