using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

public partial class SocketPacketDecoderTests
{
    public static TheoryData<byte[]> InvalidUtf8Packets => new()
    {
        new byte[] { (byte)'2', (byte)'[', (byte)'"', 0xff, (byte)'"', (byte)']' },
        new byte[] { (byte)'2', (byte)'[', (byte)'"', 0xc3, (byte)'"', (byte)']' },
        new byte[] { (byte)'2', (byte)'[', (byte)'"', 0xed, 0xa0, 0x80, (byte)'"', (byte)']' },
        new byte[] { (byte)'0', (byte)'/', 0xc0, 0xaf, (byte)',' },
        new byte[] { (byte)'1', (byte)'/', 0xfe },
        new byte[] { 0x80 },
    };

    [Theory]
    [InlineData("4", "empty packet")]
    [InlineData("47", "unknown packet type '7'")]
    [InlineData("49[\"a\"]", "unknown packet type '9'")]
    [InlineData("4x", "unknown packet type 'x'")]
    [InlineData("4-1", "unknown packet type '-'")]
    [InlineData("4 0", "unknown packet type byte 0x20")]
    public void Unknown_packet_type_is_rejected(string message, string expected)
    {
        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(Wire.Body(message)));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("45")]
    [InlineData("451[\"a\"]")]
    [InlineData("45-[\"a\"]")]
    [InlineData("45x-[\"a\"]")]
    [InlineData("451a-[\"a\"]")]
    [InlineData("45 1-[\"a\"]")]
    [InlineData("45+1-[\"a\"]")]
    [InlineData("46/admin,1-[]")]
    public void Malformed_attachment_count_is_rejected(string message)
    {
        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(Wire.Body(message)));

        Assert.StartsWith("illegal attachments", error.Message);
    }

    [Theory]
    [InlineData("4511-[\"a\"]")]
    [InlineData("46100-[]")]
    [InlineData("4599999999999999999999999-[\"a\"]")]
    public void More_attachments_than_the_limit_are_rejected(string message)
    {
        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(Wire.Body(message)));

        Assert.Equal("too many attachments: more than the limit of 10", error.Message);
    }

    [Theory]
    [InlineData("429223372036854775808[\"a\"]")]
    [InlineData("43/admin,99999999999999999999[]")]
    public void Ack_id_that_overflows_a_64_bit_integer_is_rejected(string message)
    {
        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(Wire.Body(message)));

        Assert.StartsWith("ack id does not fit", error.Message);
    }

    [Theory]
    [InlineData("42[\"a\"")]
    [InlineData("42[\"a\"]x")]
    [InlineData("42[\"a\"][\"b\"]")]
    [InlineData("40{")]
    [InlineData("40{\"a\":1}}")]
    [InlineData("40{'a':1}")]
    [InlineData("42[\"a\",]")]
    [InlineData("42[\"a\"/*c*/]")]
    [InlineData("42 ")]
    [InlineData("44undefined")]
    [InlineData("42[\"a\",NaN]")]
    public void Invalid_JSON_payload_is_rejected(string message)
    {
        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(Wire.Body(message)));

        Assert.StartsWith("invalid payload", error.Message);
    }

    [Fact]
    public void Payload_nested_deeper_than_the_reader_limit_is_rejected()
    {
        var message = "42[\"a\"," + new string('[', 100) + new string(']', 100) + "]";

        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(Wire.Body(message)));

        Assert.StartsWith("invalid payload", error.Message);
    }

    [Theory]
    [InlineData("40[]")]
    [InlineData("40\"token\"")]
    [InlineData("40null")]
    [InlineData("41{}")]
    [InlineData("41/admin,\"x\"")]
    [InlineData("41[]")]
    [InlineData("44")]
    [InlineData("44[\"x\"]")]
    [InlineData("44null")]
    [InlineData("4442")]
    [InlineData("42")]
    [InlineData("42[]")]
    [InlineData("42{\"a\":1}")]
    [InlineData("42\"a\"")]
    [InlineData("42[null]")]
    [InlineData("42[true]")]
    [InlineData("42[[\"a\"]]")]
    [InlineData("42[{\"a\":1}]")]
    [InlineData("42/admin")]
    [InlineData("42/admin[\"x\"]")]
    [InlineData("450-[]")]
    [InlineData("450-{}")]
    [InlineData("43")]
    [InlineData("431")]
    [InlineData("431{}")]
    [InlineData("431\"a\"")]
    [InlineData("460-1{}")]
    public void Payload_of_the_wrong_shape_for_its_type_is_rejected(string message)
    {
        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(Wire.Body(message)));

        Assert.StartsWith("invalid payload", error.Message);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public void Reserved_event_name_is_rejected(string name)
    {
        var decoder = new SocketPacketDecoder();

        var plain = Assert.Throws<SocketProtocolException>(() => decoder.DecodeText(Wire.Body($"42[\"{name}\"]")));
        var binary = Assert.Throws<SocketProtocolException>(() => decoder.DecodeText(Wire.Body($"450-[\"{name}\",1]")));

        Assert.Equal("invalid payload: the event name is reserved", plain.Message);
        Assert.Equal(plain.Message, binary.Message);
    }

    [Fact]
    public void Reserved_event_name_is_recognised_when_escaped()
    {
        Assert.Throws<SocketProtocolException>(
            () => new SocketPacketDecoder().DecodeText(Wire.Body("42[\"\\u0063onnect\"]")));
    }

    [Fact]
    public void Event_name_differing_from_a_reserved_one_by_case_is_allowed()
    {
        var packet = Wire.DecodeMessage("42[\"Connect\"]");

        Assert.Equal("Connect", packet.Data!.Value[0].GetString());
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8Packets))]
    public void Invalid_UTF8_is_rejected(byte[] body)
    {
        var error = Assert.Throws<SocketProtocolException>(() => new SocketPacketDecoder().DecodeText(body));

        Assert.Equal("packet is not valid UTF-8", error.Message);
    }

    [Fact]
    public void Decoder_stays_usable_after_rejecting_a_packet()
    {
        var decoder = new SocketPacketDecoder();
        Assert.Throws<SocketProtocolException>(() => decoder.DecodeText(Wire.Body("42[")));

        Assert.NotNull(decoder.DecodeText(Wire.Body("42[\"ok\"]")));
    }
}
