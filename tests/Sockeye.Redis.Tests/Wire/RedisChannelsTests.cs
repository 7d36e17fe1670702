using Sockeye.Redis.Internal;

namespace Sockeye.Redis.Tests.Wire;

/// <summary>Channel names of the classic mode (PROTOCOL.md §4.2).</summary>
public sealed class RedisChannelsTests
{
    [Fact]
    public void Channels_are_named_as_the_Node_adapter_names_them()
    {
        var channels = new RedisChannels("socket.io", "/chat", "AbC123");

        Assert.Equal("socket.io#/chat#", channels.Broadcast.ToString());
        Assert.Equal("socket.io#/chat#room1#", channels.ForRoom("room1").ToString());
        Assert.Equal("socket.io-request#/chat#", channels.Request.ToString());
        Assert.Equal("socket.io-response#/chat#", channels.Response.ToString());
        Assert.Equal("socket.io-response#/chat#AbC123#", channels.SpecificResponse.ToString());
        Assert.Equal("room1", channels.RoomOf("socket.io#/chat#room1#"));
        Assert.Equal("", channels.RoomOf("socket.io#/chat#"));
    }

    [Fact]
    public void One_pattern_covers_every_channel_of_the_namespace_and_the_rest_is_sorted_out()
    {
        var channels = new RedisChannels("socket.io", "/a*b", "uid001");

        Assert.Equal(@"socket.io*#/a\*b#*", channels.All.ToString());
        Assert.Equal(ChannelKind.Broadcast, channels.Classify("socket.io#/a*b#"));
        Assert.Equal(ChannelKind.Broadcast, channels.Classify("socket.io#/a*b#room#"));
        Assert.Equal(ChannelKind.Request, channels.Classify("socket.io-request#/a*b#"));
        Assert.Equal(ChannelKind.Response, channels.Classify("socket.io-response#/a*b#"));
        Assert.Equal(ChannelKind.Response, channels.Classify("socket.io-response#/a*b#uid001#"));
        Assert.Equal(ChannelKind.None, channels.Classify("socket.io-response#/a*b#other1#"));
        Assert.Equal(ChannelKind.None, channels.Classify("socket.io-other#/a*b#"));
    }
}
