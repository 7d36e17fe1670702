using System.Buffers;
using System.Text.Json;
using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

public class SocketJsonTests
{
    [Fact]
    public void Typed_record_with_binary_members_round_trips_through_a_binary_event()
    {
        var upload = new Upload("photo.png", [1, 2, 3], new Thumbnail(16, new byte[] { 4, 5 }));
        var output = new ArrayBufferWriter<byte>();
        var attachments = new List<ReadOnlyMemory<byte>>();

        SocketPacketEncoder.WriteEvent(output, "/", "upload", [upload], null, Wire.Options, attachments);

        Assert.Equal(
            "52-[\"upload\",{\"name\":\"photo.png\",\"content\":{\"_placeholder\":true,\"num\":0},"
                + "\"preview\":{\"width\":16,\"bytes\":{\"_placeholder\":true,\"num\":1}}}]",
            System.Text.Encoding.UTF8.GetString(output.WrittenSpan));

        var decoder = new SocketPacketDecoder();
        Assert.Null(decoder.DecodeText(output.WrittenSpan));
        Assert.Null(decoder.DecodeBinary(attachments[0]));
        var packet = decoder.DecodeBinary(attachments[1])!;
        var decoded = SocketJson.Deserialize<Upload>(packet.Data!.Value[1], packet.Attachments, Wire.Options)!;

        Assert.Equal(SocketPacketType.BinaryEvent, packet.Type);
        Assert.Equal("photo.png", decoded.Name);
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.Content);
        Assert.Equal(16, decoded.Preview.Width);
        Assert.Equal(new byte[] { 4, 5 }, decoded.Preview.Bytes.ToArray());
    }

    [Fact]
    public void Deserializes_to_a_type_known_at_run_time()
    {
        var packet = Wire.DecodeMessage("42[\"a\",{\"width\":3,\"bytes\":\"AQ==\"}]");

        Type type = typeof(Thumbnail);

        var value = SocketJson.Deserialize(packet.Data!.Value[1], type, [], Wire.Options);

        Assert.Equal(new byte[] { 1 }, Assert.IsType<Thumbnail>(value).Bytes.ToArray());
    }

    [Fact]
    public void Placeholder_resolves_to_writable_memory()
    {
        using var document = JsonDocument.Parse("{\"_placeholder\":true,\"num\":0}");

        var memory = SocketJson.Deserialize<Memory<byte>>(document.RootElement, [new byte[] { 8 }], Wire.Options);

        Assert.Equal(new byte[] { 8 }, memory.ToArray());
    }

    [Fact]
    public void Placeholder_naming_a_missing_attachment_fails_to_deserialize()
    {
        using var document = JsonDocument.Parse("{\"_placeholder\":true,\"num\":1}");

        Assert.Throws<SocketProtocolException>(
            () => SocketJson.Deserialize<byte[]>(document.RootElement, [new byte[] { 1 }], Wire.Options));
    }

    [Fact]
    public void Object_that_is_not_a_placeholder_fails_to_deserialize_as_bytes()
    {
        using var document = JsonDocument.Parse("{\"num\":0}");

        Assert.Throws<JsonException>(
            () => SocketJson.Deserialize<byte[]>(document.RootElement, [new byte[] { 1 }], Wire.Options));
    }

    [Fact]
    public void Bytes_are_base64_outside_a_capture_scope()
    {
        var json = JsonSerializer.Serialize(new Thumbnail(1, new byte[] { 1, 2, 3 }), Wire.Options);

        Assert.Equal("{\"width\":1,\"bytes\":\"AQID\"}", json);
        Assert.Equal(new byte[] { 1, 2, 3 }, JsonSerializer.Deserialize<byte[]>("\"AQID\"", Wire.Options));
    }

    [Fact]
    public void Placeholder_outside_a_resolve_scope_is_a_JSON_error()
    {
        Assert.Throws<JsonException>(
            () => JsonSerializer.Deserialize<byte[]>("{\"_placeholder\":true,\"num\":0}", Wire.Options));
    }

    [Fact]
    public void Capture_scope_collects_bytes_and_restores_the_enclosing_scope()
    {
        var outer = new List<ReadOnlyMemory<byte>>();
        var inner = new List<ReadOnlyMemory<byte>>();
        string innerJson, outerJson;

        using (var outerScope = SocketJson.Capture(outer))
        {
            using (SocketJson.Capture(inner))
            {
                innerJson = JsonSerializer.Serialize(new byte[] { 1 }, Wire.Options);
            }

            outerJson = JsonSerializer.Serialize(new[] { new byte[] { 2 }, new byte[] { 3 } }, Wire.Options);
            Assert.Equal(2, outerScope.Count);
        }

        Assert.Equal("{\"_placeholder\":true,\"num\":0}", innerJson);
        Assert.Equal("[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", outerJson);
        Assert.Single(inner);
        Assert.Equal(2, outer.Count);
        Assert.Equal("\"BA==\"", JsonSerializer.Serialize(new byte[] { 4 }, Wire.Options));
    }

    [Fact]
    public void Resolve_scope_restores_the_enclosing_scope()
    {
        using (SocketJson.Resolve([new byte[] { 5 }]))
        {
            using (SocketJson.Resolve([]))
            {
            }

            var bytes = JsonSerializer.Deserialize<byte[]>("{\"_placeholder\":true,\"num\":0}", Wire.Options);
            Assert.Equal(new byte[] { 5 }, bytes);
        }

        Assert.Throws<JsonException>(
            () => JsonSerializer.Deserialize<byte[]>("{\"_placeholder\":true,\"num\":0}", Wire.Options));
    }

    [Theory]
    [InlineData("{\"_placeholder\":true,\"num\":0}", 0)]
    [InlineData("{\"num\":3,\"_placeholder\":true}", 3)]
    [InlineData("{\"_placeholder\":true,\"num\":1,\"extra\":null}", 1)]
    public void Recognises_placeholders(string json, int expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.True(SocketJson.IsPlaceholder(document.RootElement, out var num));
        Assert.Equal(expected, num);
    }

    [Theory]
    [InlineData("{\"_placeholder\":false,\"num\":0}")]
    [InlineData("{\"_placeholder\":\"true\",\"num\":0}")]
    [InlineData("{\"_placeholder\":true}")]
    [InlineData("{\"_placeholder\":true,\"num\":-1}")]
    [InlineData("{\"_placeholder\":true,\"num\":1.5}")]
    [InlineData("{\"_placeholder\":true,\"num\":\"0\"}")]
    [InlineData("[{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("\"x\"")]
    public void Rejects_what_is_not_a_placeholder(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(SocketJson.IsPlaceholder(document.RootElement, out var num));
        Assert.Equal(-1, num);
    }

    [Fact]
    public void Gets_the_attachment_a_placeholder_names()
    {
        using var document = JsonDocument.Parse("[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]");
        ReadOnlyMemory<byte>[] attachments = [new byte[] { 0 }, new byte[] { 1 }];

        Assert.True(SocketJson.TryGetAttachment(document.RootElement[0], attachments, out var bytes));
        Assert.Equal(new byte[] { 1 }, bytes.ToArray());
        Assert.False(SocketJson.TryGetAttachment(document.RootElement[1], attachments, out bytes));
        Assert.True(bytes.IsEmpty);
    }

    [Fact]
    public void Created_options_keep_the_base_settings()
    {
        var options = SocketJson.CreateOptions(new JsonSerializerOptions { PropertyNamingPolicy = null });

        var json = JsonSerializer.Serialize(new Thumbnail(2, default), options);

        Assert.Equal("{\"Width\":2,\"Bytes\":\"\"}", json);
    }

    [Fact]
    public void Options_created_from_created_options_keep_one_set_of_converters()
    {
        var options = SocketJson.CreateOptions(Wire.Options);

        Assert.Equal(Wire.Options.Converters.Count, options.Converters.Count);
    }

    private sealed record Thumbnail(int Width, ReadOnlyMemory<byte> Bytes);

    private sealed record Upload(string Name, byte[] Content, Thumbnail Preview);
}
