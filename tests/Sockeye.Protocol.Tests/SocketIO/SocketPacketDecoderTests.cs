using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

public partial class SocketPacketDecoderTests
{
    [Fact]
    public void Decodes_connect_without_payload_to_the_main_namespace()
    {
        var packet = Wire.DecodeMessage("40");

        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Null(packet.AckId);
        Assert.Null(packet.Data);
        Assert.Empty(packet.Attachments);
    }

    [Fact]
    public void Decodes_connect_with_auth_object()
    {
        var packet = Wire.DecodeMessage("40{\"token\":\"123\"}");

        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Equal("123", packet.Data!.Value.GetProperty("token").GetString());
    }

    [Fact]
    public void Decodes_connect_in_namespace_with_payload()
    {
        var packet = Wire.DecodeMessage("40/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}");

        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal("oSO0OpakMV_3jnilAAAA", packet.Data!.Value.GetProperty("sid").GetString());
    }

    [Fact]
    public void Decodes_namespace_without_trailing_comma()
    {
        var packet = Wire.DecodeMessage("40/random");

        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/random", packet.Namespace);
        Assert.Null(packet.Data);
    }

    [Fact]
    public void Decodes_event()
    {
        var packet = Wire.DecodeMessage("42[\"hey\",\"Jude\"]");

        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Null(packet.AckId);
        Assert.Equal("[\"hey\",\"Jude\"]", Wire.Json(packet.Data));
    }

    [Fact]
    public void Decodes_event_with_namespace_and_ack_id()
    {
        var packet = Wire.DecodeMessage("42/admin,13[\"x\"]");

        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(13, packet.AckId);
        Assert.Equal("[\"x\"]", Wire.Json(packet.Data));
    }

    [Fact]
    public void Decodes_event_with_ack_id_in_main_namespace()
    {
        var packet = Wire.DecodeMessage("427[\"x\",1]");

        Assert.Equal("/", packet.Namespace);
        Assert.Equal(7, packet.AckId);
    }

    [Fact]
    public void Decodes_event_whose_name_is_a_number()
    {
        var packet = Wire.DecodeMessage("42[42,\"a\"]");

        Assert.Equal(42, packet.Data!.Value[0].GetInt32());
    }

    [Fact]
    public void Decodes_ack_in_namespace()
    {
        var packet = Wire.DecodeMessage("43/admin,13[\"bar\"]");

        Assert.Equal(SocketPacketType.Ack, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(13, packet.AckId);
        Assert.Equal("[\"bar\"]", Wire.Json(packet.Data));
    }

    [Fact]
    public void Decodes_ack_with_no_arguments()
    {
        var packet = Wire.DecodeMessage("431[]");

        Assert.Equal(SocketPacketType.Ack, packet.Type);
        Assert.Equal(0, packet.Data!.Value.GetArrayLength());
    }

    [Fact]
    public void Decodes_ack_id_up_to_the_largest_64_bit_integer()
    {
        var packet = Wire.DecodeMessage($"43{long.MaxValue}[]");

        Assert.Equal(long.MaxValue, packet.AckId);
    }

    [Fact]
    public void Decodes_disconnect_from_namespace()
    {
        var packet = Wire.DecodeMessage("41/admin,");

        Assert.Equal(SocketPacketType.Disconnect, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Null(packet.Data);
    }

    [Fact]
    public void Decodes_disconnect_from_namespace_without_trailing_comma()
    {
        var packet = Wire.DecodeMessage("41/admin");

        Assert.Equal("/admin", packet.Namespace);
    }

    [Fact]
    public void Decodes_connect_error_object()
    {
        var packet = Wire.DecodeMessage("44{\"message\":\"Not authorized\"}");

        Assert.Equal(SocketPacketType.ConnectError, packet.Type);
        Assert.Equal("Not authorized", packet.Data!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public void Decodes_connect_error_string_as_sent_by_old_servers()
    {
        var packet = Wire.DecodeMessage("44\"Not authorized\"");

        Assert.Equal("Not authorized", packet.Data!.Value.GetString());
    }

    [Fact]
    public void Decodes_unicode_namespace_and_payload()
    {
        var packet = Wire.DecodeMessage("42/café,[\"héllo\",\"😀\"]");

        Assert.Equal("/café", packet.Namespace);
        Assert.Equal("😀", packet.Data!.Value[1].GetString());
    }

    [Fact]
    public void Accepts_whitespace_around_the_payload_as_JSON_parse_does()
    {
        var packet = Wire.DecodeMessage("42 [\"a\"] \n");

        Assert.Equal("a", packet.Data!.Value[0].GetString());
    }

    [Fact]
    public void Payload_outlives_the_buffer_it_was_decoded_from()
    {
        var buffer = Wire.Utf8("2[\"hello\",{\"a\":[1,2,3]}]");
        var packet = new SocketPacketDecoder().DecodeText(buffer)!;

        Array.Fill(buffer, (byte)'x');

        Assert.Equal("[\"hello\",{\"a\":[1,2,3]}]", Wire.Json(packet.Data));
    }

    [Fact]
    public void Decodes_consecutive_packets_for_different_namespaces()
    {
        var decoder = new SocketPacketDecoder();

        var first = decoder.DecodeText(Wire.Utf8("2/a,[\"x\"]"))!;
        var second = decoder.DecodeText(Wire.Utf8("2/b,[\"x\"]"))!;
        var third = decoder.DecodeText(Wire.Utf8("2/a,[\"x\"]"))!;

        Assert.Equal("/a", first.Namespace);
        Assert.Equal("/b", second.Namespace);
        Assert.Equal("/a", third.Namespace);
    }
}
