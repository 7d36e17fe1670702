using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

public partial class SocketPacketDecoderTests
{
    [Fact]
    public void Binary_event_waits_for_its_attachment()
    {
        var decoder = new SocketPacketDecoder();

        var header = decoder.DecodeText(Wire.Body("451-[\"baz\",{\"_placeholder\":true,\"num\":0}]"));

        Assert.Null(header);
        Assert.True(decoder.IsAwaitingAttachments);
    }

    [Fact]
    public void Decodes_binary_event_after_its_attachment()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body("451-[\"baz\",{\"_placeholder\":true,\"num\":0}]"));

        var packet = decoder.DecodeBinary(new byte[] { 1, 2, 3 });

        Assert.NotNull(packet);
        Assert.False(decoder.IsAwaitingAttachments);
        Assert.Equal(SocketPacketType.BinaryEvent, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Null(packet.AckId);
        Assert.Equal("[\"baz\",{\"_placeholder\":true,\"num\":0}]", Wire.Json(packet.Data));
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(packet.Attachments).ToArray());
    }

    [Fact]
    public void Decodes_binary_ack_in_namespace_after_its_attachment()
    {
        var decoder = new SocketPacketDecoder();
        Assert.Null(decoder.DecodeText(Wire.Body("461-/admin,1[{\"_placeholder\":true,\"num\":0}]")));

        var packet = decoder.DecodeBinary(new byte[] { 9 });

        Assert.NotNull(packet);
        Assert.Equal(SocketPacketType.BinaryAck, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(1, packet.AckId);
        Assert.Equal(new byte[] { 9 }, Assert.Single(packet.Attachments).ToArray());
    }

    [Fact]
    public void Binary_packet_announcing_zero_attachments_completes_immediately()
    {
        var decoder = new SocketPacketDecoder();

        var packet = decoder.DecodeText(Wire.Body("450-[\"a\"]"));

        Assert.NotNull(packet);
        Assert.Equal(SocketPacketType.BinaryEvent, packet.Type);
        Assert.False(decoder.IsAwaitingAttachments);
    }

    [Fact]
    public void Attachments_are_indexed_by_arrival_order_whatever_the_placeholder_order()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body(
            "452-[\"a\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]"));

        Assert.Null(decoder.DecodeBinary(new byte[] { 0 }));
        var packet = decoder.DecodeBinary(new byte[] { 1 })!;

        Assert.True(SocketJson.TryGetAttachment(packet.Data!.Value[1], packet.Attachments, out var first));
        Assert.True(SocketJson.TryGetAttachment(packet.Data!.Value[2], packet.Attachments, out var second));
        Assert.Equal(new byte[] { 1 }, first.ToArray());
        Assert.Equal(new byte[] { 0 }, second.ToArray());
    }

    [Fact]
    public void Attachment_is_copied_so_the_caller_may_reuse_its_buffer()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body("451-[\"a\",{\"_placeholder\":true,\"num\":0}]"));
        var buffer = new byte[] { 1, 2, 3 };

        var packet = decoder.DecodeBinary(buffer)!;
        buffer[0] = 99;

        Assert.Equal(new byte[] { 1, 2, 3 }, packet.Attachments[0].ToArray());
    }

    [Fact]
    public void Empty_attachment_is_kept()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body("451-[\"a\",{\"_placeholder\":true,\"num\":0}]"));

        var packet = decoder.DecodeBinary(ReadOnlyMemory<byte>.Empty)!;

        Assert.True(Assert.Single(packet.Attachments).IsEmpty);
    }

    [Fact]
    public void Accepts_exactly_the_maximum_number_of_attachments()
    {
        var decoder = new SocketPacketDecoder();
        Assert.Null(decoder.DecodeText(Wire.Body("4510-[\"a\"]")));

        SocketPacket? packet = null;
        for (var i = 0; i < 10; i++)
        {
            packet = decoder.DecodeBinary(new[] { (byte)i });
        }

        Assert.Equal(10, packet!.Attachments.Count);
    }

    [Fact]
    public void Maximum_number_of_attachments_is_configurable()
    {
        var decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = 1 });

        Assert.Null(decoder.DecodeText(Wire.Body("451-[\"a\",{\"_placeholder\":true,\"num\":0}]")));
        decoder.Reset();
        Assert.Throws<SocketProtocolException>(() => decoder.DecodeText(Wire.Body("452-[\"a\"]")));
    }

    [Fact]
    public void Negative_maximum_number_of_attachments_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = -1 }));
    }

    [Fact]
    public void Reset_discards_the_packet_waiting_for_attachments()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body("451-[\"a\",{\"_placeholder\":true,\"num\":0}]"));

        decoder.Reset();

        Assert.False(decoder.IsAwaitingAttachments);
        Assert.NotNull(decoder.DecodeText(Wire.Body("42[\"b\"]")));
    }

    [Fact]
    public void Binary_message_without_a_pending_packet_is_rejected()
    {
        var decoder = new SocketPacketDecoder();

        var error = Assert.Throws<SocketProtocolException>(() => decoder.DecodeBinary(new byte[] { 1 }));

        Assert.Contains("not reconstructing", error.Message);
    }

    [Fact]
    public void Binary_message_after_the_last_attachment_is_rejected()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body("451-[\"a\",{\"_placeholder\":true,\"num\":0}]"));
        decoder.DecodeBinary(new byte[] { 1 });

        Assert.Throws<SocketProtocolException>(() => decoder.DecodeBinary(new byte[] { 2 }));
    }

    [Fact]
    public void Text_while_awaiting_attachments_is_rejected_and_drops_the_pending_packet()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body("451-[\"a\",{\"_placeholder\":true,\"num\":0}]"));

        var error = Assert.Throws<SocketProtocolException>(() => decoder.DecodeText(Wire.Body("42[\"b\"]")));

        Assert.Equal("got plaintext data when reconstructing a packet", error.Message);
        Assert.False(decoder.IsAwaitingAttachments);
    }

    [Theory]
    [InlineData("451-[\"a\",{\"_placeholder\":true,\"num\":1}]")]
    [InlineData("452-[\"a\",{\"_placeholder\":true,\"num\":0},[{\"x\":{\"_placeholder\":true,\"num\":2}}]]")]
    [InlineData("451-[\"a\",{\"_placeholder\":true,\"num\":-1}]")]
    [InlineData("451-[\"a\",{\"_placeholder\":true,\"num\":0.5}]")]
    [InlineData("451-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]")]
    [InlineData("451-[\"a\",{\"_placeholder\":true}]")]
    [InlineData("461-[{\"_placeholder\":true,\"num\":1}]")]
    public void Placeholder_that_names_no_announced_attachment_is_rejected(string message)
    {
        var decoder = new SocketPacketDecoder();

        var error = Assert.Throws<SocketProtocolException>(() => decoder.DecodeText(Wire.Body(message)));

        Assert.StartsWith("illegal attachments", error.Message);
        Assert.False(decoder.IsAwaitingAttachments);
    }

    [Fact]
    public void Object_flagged_placeholder_false_is_plain_data()
    {
        var decoder = new SocketPacketDecoder();
        decoder.DecodeText(Wire.Body("451-[\"a\",{\"_placeholder\":false,\"num\":7},{\"_placeholder\":true,\"num\":0}]"));

        var packet = decoder.DecodeBinary(new byte[] { 1 })!;

        Assert.False(SocketJson.IsPlaceholder(packet.Data!.Value[1], out _));
    }

    [Fact]
    public void Placeholders_in_a_non_binary_event_are_left_as_data()
    {
        var packet = Wire.DecodeMessage("42[\"a\",{\"_placeholder\":true,\"num\":3}]");

        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Empty(packet.Attachments);
    }
}
