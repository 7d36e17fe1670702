using System.Buffers;
using System.Text.Json;
using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

public partial class SocketPacketEncoderTests
{
    [Theory]
    [InlineData("admin")]
    [InlineData("/a,b")]
    [InlineData("")]
    public void Namespace_that_cannot_be_read_back_is_rejected(string nsp)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.WriteDisconnect(output, nsp));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Attachments_on_a_non_binary_type_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.WriteHeaderAndPayload(
            new ArrayBufferWriter<byte>(), SocketPacketType.Event, "/", null, 1, "[\"a\"]"u8));
    }

    [Fact]
    public void Negative_ack_id_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SocketPacketEncoder.WriteHeaderAndPayload(
            new ArrayBufferWriter<byte>(), SocketPacketType.Ack, "/", -1, 0, "[]"u8));
    }

    [Fact]
    public void Unknown_type_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SocketPacketEncoder.WriteHeaderAndPayload(
            new ArrayBufferWriter<byte>(), (SocketPacketType)7, "/", null, 0, []));
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("disconnect")]
    [InlineData("newListener")]
    public void Reserved_event_name_cannot_be_encoded(string name)
    {
        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.WriteEvent(
            new ArrayBufferWriter<byte>(), "/", name, [], null, Wire.Options, []));
    }

    [Fact]
    public void Options_without_placeholder_converters_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.WriteEvent(
            new ArrayBufferWriter<byte>(), "/", "a", [new byte[] { 1 }], null, JsonSerializerOptions.Default, []));
    }

    [Fact]
    public void Failed_serialization_writes_nothing_and_leaves_the_attachment_list_unchanged()
    {
        var output = new ArrayBufferWriter<byte>();
        var attachments = new List<ReadOnlyMemory<byte>>();

        Assert.Throws<InvalidOperationException>(() => SocketPacketEncoder.WriteEvent(
            output, "/", "a", [new byte[] { 1 }, new Exploding()], null, Wire.Options, attachments));

        Assert.Equal(0, output.WrittenCount);
        Assert.Empty(attachments);
    }

    [Fact]
    public void Bad_header_after_serialization_leaves_the_attachment_list_unchanged()
    {
        var attachments = new List<ReadOnlyMemory<byte>>();

        Assert.Throws<ArgumentException>(() => SocketPacketEncoder.WriteEvent(
            new ArrayBufferWriter<byte>(), "no-slash", "a", [new byte[] { 1 }], null, Wire.Options, attachments));

        Assert.Empty(attachments);
    }

    [Fact]
    public void Encoder_works_again_after_a_failed_serialization()
    {
        Assert.Throws<InvalidOperationException>(() => SocketPacketEncoder.WriteEvent(
            new ArrayBufferWriter<byte>(), "/", "a", [new Exploding()], null, Wire.Options, []));

        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteEvent(output, "/", "b", [1], null, Wire.Options, []));

        Assert.Equal("42[\"b\",1]", message);
    }

    private sealed class Exploding
    {
        private readonly string _reason = "boom";

        public int Value => throw new InvalidOperationException(_reason);
    }
}
