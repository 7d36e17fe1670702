using System.Buffers;
using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

public partial class SocketPacketEncoderTests
{
    [Fact]
    public void Encodes_connect_without_payload()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteHeaderAndPayload(output, SocketPacketType.Connect, "/", null, 0, []));

        Assert.Equal("40", message);
    }

    [Fact]
    public void Encodes_connect_with_auth_payload()
    {
        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteHeaderAndPayload(
            output, SocketPacketType.Connect, "/", null, 0, "{\"token\":\"123\"}"u8));

        Assert.Equal("40{\"token\":\"123\"}", message);
    }

    [Fact]
    public void Encodes_connect_reply_in_namespace()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteConnect(output, "/admin", "oSO0OpakMV_3jnilAAAA", null));

        Assert.Equal("40/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", message);
    }

    [Fact]
    public void Encodes_connect_reply_with_private_session_id()
    {
        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteConnect(output, "/", "abc", "xyz"));

        Assert.Equal("40{\"sid\":\"abc\",\"pid\":\"xyz\"}", message);
    }

    [Fact]
    public void Encodes_event()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteEvent(output, "/", "hey", ["Jude"], null, Wire.Options, []));

        Assert.Equal("42[\"hey\",\"Jude\"]", message);
    }

    [Fact]
    public void Encodes_event_with_namespace_and_ack_id()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteEvent(output, "/admin", "x", [], 13, Wire.Options, []));

        Assert.Equal("42/admin,13[\"x\"]", message);
    }

    [Fact]
    public void Encodes_ack_in_namespace()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteAck(output, "/admin", 13, ["bar"], Wire.Options, []));

        Assert.Equal("43/admin,13[\"bar\"]", message);
    }

    [Fact]
    public void Encodes_ack_without_arguments()
    {
        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteAck(output, "/", 0, [], Wire.Options, []));

        Assert.Equal("430[]", message);
    }

    [Fact]
    public void Encodes_disconnect_from_namespace_with_trailing_comma()
    {
        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteDisconnect(output, "/admin"));

        Assert.Equal("41/admin,", message);
    }

    [Fact]
    public void Encodes_disconnect_from_main_namespace()
    {
        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteDisconnect(output, "/"));

        Assert.Equal("41", message);
    }

    [Fact]
    public void Encodes_connect_error()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteConnectError(output, "/", "Not authorized", null, Wire.Options));

        Assert.Equal("44{\"message\":\"Not authorized\"}", message);
    }

    [Fact]
    public void Encodes_connect_error_with_data()
    {
        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteConnectError(
            output, "/guarded", "not authorized", new { Content = "Please retry later" }, Wire.Options));

        Assert.Equal("44/guarded,{\"message\":\"not authorized\",\"data\":{\"content\":\"Please retry later\"}}", message);
    }

    [Fact]
    public void Encodes_connect_error_binary_data_as_base64()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteConnectError(output, "/", "no", new byte[] { 1, 2, 3 }, Wire.Options));

        Assert.Equal("44{\"message\":\"no\",\"data\":\"AQID\"}", message);
    }

    [Fact]
    public void Encodes_binary_event_with_placeholder()
    {
        var attachments = new List<ReadOnlyMemory<byte>>();
        var bytes = new byte[] { 1, 2, 3 };

        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteEvent(output, "/", "baz", [bytes], null, Wire.Options, attachments));

        Assert.Equal("451-[\"baz\",{\"_placeholder\":true,\"num\":0}]", message);
        Assert.Equal(bytes, Assert.Single(attachments).ToArray());
    }

    [Fact]
    public void Encodes_binary_ack_in_namespace_with_placeholder()
    {
        var attachments = new List<ReadOnlyMemory<byte>>();

        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteAck(
            output, "/admin", 1, [new ReadOnlyMemory<byte>([9])], Wire.Options, attachments));

        Assert.Equal("461-/admin,1[{\"_placeholder\":true,\"num\":0}]", message);
        Assert.Single(attachments);
    }

    [Fact]
    public void Encodes_binary_event_with_namespace_and_ack_id()
    {
        var attachments = new List<ReadOnlyMemory<byte>>();

        var message = Wire.EncodeMessage(output => SocketPacketEncoder.WriteEvent(
            output, "/admin", "up", [new byte[] { 1 }, "x", new Memory<byte>([2])], 7, Wire.Options, attachments));

        Assert.Equal(
            "452-/admin,7[\"up\",{\"_placeholder\":true,\"num\":0},\"x\",{\"_placeholder\":true,\"num\":1}]",
            message);
        Assert.Equal(2, attachments.Count);
    }

    [Fact]
    public void Encodes_null_arguments_as_JSON_null()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteEvent(output, "/", "n", [null, 1, true], null, Wire.Options, []));

        Assert.Equal("42[\"n\",null,1,true]", message);
    }

    [Fact]
    public void Placeholder_numbers_start_at_zero_when_the_list_already_holds_attachments()
    {
        var previous = new ReadOnlyMemory<byte>([7]);
        var attachments = new List<ReadOnlyMemory<byte>> { previous };

        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteEvent(output, "/", "a", [new byte[] { 1 }], null, Wire.Options, attachments));

        Assert.Equal("451-[\"a\",{\"_placeholder\":true,\"num\":0}]", message);
        Assert.Equal(2, attachments.Count);
    }

    [Fact]
    public void Encodes_unicode_namespace_and_event_name()
    {
        var message = Wire.EncodeMessage(output =>
            SocketPacketEncoder.WriteEvent(output, "/café", "héllo", [], null, Wire.Options, []));
        var packet = Wire.DecodeMessage(message);

        Assert.Equal("/café", packet.Namespace);
        Assert.Equal("héllo", packet.Data!.Value[0].GetString());
    }

    [Fact]
    public void Appends_to_what_the_output_already_holds()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("4"u8);

        SocketPacketEncoder.WriteDisconnect(output, "/a");

        Assert.Equal("41/a,"u8.ToArray(), output.WrittenSpan.ToArray());
    }
}
