using System.Text.Json;
using Sockeye.Protocol.SocketIO;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis.Tests.Wire;

/// <summary>The MessagePack of notepack.io, byte for byte (PROTOCOL.md §4.1).</summary>
public sealed class NotepackTests
{
    private const string ProtocolExample =
        "93 a6 44 6c 44 79 4a 7a 83 a4 74 79 70 65 02 a4 64 61 74 61 92 a2 68 69 c4 02 01 02 a3 6e 73 70 a1 2f 83 a5 72 6f 6f 6d 73 91 a5 72 6f 6f 6d 31 a6 65 78 63 65 70 74 90 a5 66 6c 61 67 73 81 a8 76 6f 6c 61 74 69 6c 65 c3";

    [Fact]
    public void The_classic_broadcast_of_the_protocol_digest_encodes_to_its_exact_bytes()
    {
        var message = new object?[]
        {
            "DlDyJz",
            Map(("type", 2L), ("data", new object?[] { "hi", new byte[] { 1, 2 } }), ("nsp", "/")),
            Map(("rooms", new object?[] { "room1" }), ("except", Array.Empty<object?>()), ("flags", Map(("volatile", true)))),
        };

        Assert.Equal(ProtocolExample, Hex(Notepack.Encode(message)));
    }

    [Fact]
    public void The_classic_broadcast_of_the_protocol_digest_decodes_to_its_tree()
    {
        var message = Assert.IsType<object?[]>(Notepack.Decode(Bytes(ProtocolExample)));

        Assert.Equal("DlDyJz", message[0]);
        var packet = Assert.IsType<Dictionary<string, object?>>(message[1]);
        Assert.Equal(2L, packet["type"]);
        var data = Assert.IsType<object?[]>(packet["data"]);
        Assert.Equal("hi", data[0]);
        Assert.Equal(new byte[] { 1, 2 }, data[1]);
        Assert.Equal("/", packet["nsp"]);
        var opts = Assert.IsType<Dictionary<string, object?>>(message[2]);
        Assert.Equal(new object?[] { "room1" }, opts["rooms"]);
        Assert.Empty(Assert.IsType<object?[]>(opts["except"]));
        Assert.Equal(true, Assert.IsType<Dictionary<string, object?>>(opts["flags"])["volatile"]);
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc 80")]
    [InlineData(255L, "cc ff")]
    [InlineData(256L, "cd 01 00")]
    [InlineData(65535L, "cd ff ff")]
    [InlineData(65536L, "ce 00 01 00 00")]
    [InlineData(4294967295L, "ce ff ff ff ff")]
    [InlineData(4294967296L, "cf 00 00 00 01 00 00 00 00")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0 df")]
    [InlineData(-128L, "d0 80")]
    [InlineData(-129L, "d1 ff 7f")]
    [InlineData(-32768L, "d1 80 00")]
    [InlineData(-32769L, "d2 ff ff 7f ff")]
    [InlineData(-2147483649L, "d3 ff ff ff ff 7f ff ff ff")]
    public void Integers_take_the_smallest_format_with_unsigned_formats_for_positive_values(long value, string hex)
    {
        Assert.Equal(hex, Hex(Notepack.Encode(value)));
        Assert.Equal(value, Notepack.Decode(Bytes(hex)));
    }

    [Fact]
    public void Non_integral_numbers_are_float64_and_integral_doubles_are_integers_as_in_javascript()
    {
        Assert.Equal("cb 3f f8 00 00 00 00 00 00", Hex(Notepack.Encode(1.5)));
        Assert.Equal("03", Hex(Notepack.Encode(3.0)));
        Assert.Equal(1.5, Notepack.Decode(Bytes("cb 3f f8 00 00 00 00 00 00")));
        Assert.Equal(1.5, Notepack.Decode(Bytes("ca 3f c0 00 00")));
    }

    [Theory]
    [InlineData(31, "bf")]
    [InlineData(32, "d9 20")]
    [InlineData(255, "d9 ff")]
    [InlineData(256, "da 01 00")]
    [InlineData(65536, "db 00 01 00 00")]
    public void Strings_use_fixstr_then_str8_str16_str32(int length, string header)
    {
        var text = new string('a', length);

        var encoded = Notepack.Encode(text);

        Assert.StartsWith(header, Hex(encoded), StringComparison.Ordinal);
        Assert.Equal(text, Notepack.Decode(encoded));
    }

    [Theory]
    [InlineData(2, "c4 02")]
    [InlineData(256, "c5 01 00")]
    [InlineData(65536, "c6 00 01 00 00")]
    public void Binary_uses_bin8_bin16_bin32_and_decodes_to_byte_arrays(int length, string header)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        var encoded = Notepack.Encode(bytes);

        Assert.StartsWith(header, Hex(encoded), StringComparison.Ordinal);
        Assert.Equal(bytes, Notepack.Decode(encoded));
    }

    [Fact]
    public void Nil_booleans_and_strings_in_utf8()
    {
        Assert.Equal("93 c0 c3 c2", Hex(Notepack.Encode(new object?[] { null, true, false })));
        Assert.Equal("a2 c3 a9", Hex(Notepack.Encode("é")));
    }

    [Fact]
    public void The_legacy_undefined_fixext1_drops_a_map_entry_and_reads_as_null_in_an_array()
    {
        // {a: undefined, b: 1} and [undefined, 1] as notepack 2 wrote them.
        var map = Assert.IsType<Dictionary<string, object?>>(Notepack.Decode(Bytes("82 a1 61 d4 00 00 a1 62 01")));
        var array = Assert.IsType<object?[]>(Notepack.Decode(Bytes("92 d4 00 00 01")));

        Assert.Equal(["b"], map.Keys);
        Assert.Equal(new object?[] { null, 1L }, array);
    }

    [Fact]
    public void Timestamps_decode_to_dates()
    {
        // Timestamp 32 (ext -1): 1 second after the epoch.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1), Notepack.Decode(Bytes("d6 ff 00 00 00 01")));
    }

    [Fact]
    public void Application_values_become_trees_with_binary_kept_as_bin()
    {
        var options = SocketJson.CreateOptions();

        var tree = WireValues.FromObjects([new { Name = "file", Content = new byte[] { 9, 8 }, Parts = new[] { 1, 2 } }, 2.5, null], options);

        Assert.Equal(
            "93 83 a4 6e 61 6d 65 a4 66 69 6c 65 a7 63 6f 6e 74 65 6e 74 c4 02 09 08 a5 70 61 72 74 73 92 01 02 cb 40 04 00 00 00 00 00 00 c0",
            Hex(Notepack.Encode(tree)));
    }

    [Fact]
    public void Requests_are_json_unless_they_carry_binary_and_either_form_decodes()
    {
        var plain = new Dictionary<string, object?> { ["uid"] = "abc", ["type"] = 2L, ["rooms"] = new object?[] { "r" } };
        var binary = new Dictionary<string, object?> { ["type"] = 9L, ["packet"] = new byte[] { 1 } };

        var json = WireValues.EncodeMessage(plain);
        var msgpack = WireValues.EncodeMessage(binary);

        Assert.Equal("""{"uid":"abc","type":2,"rooms":["r"]}""", System.Text.Encoding.UTF8.GetString(json));
        Assert.Equal(0x82, msgpack[0]);
        Assert.Equal(2L, WireValues.DecodeMessage(json)!["type"]);
        Assert.Equal(new byte[] { 1 }, WireValues.DecodeMessage(msgpack)!["packet"]);
    }

    [Fact]
    public void Json_elements_are_written_as_their_values()
    {
        using var document = JsonDocument.Parse("""{"a":[1,-2,3.5,"x",true,null]}""");

        Assert.Equal("81 a1 61 96 01 fe cb 40 0c 00 00 00 00 00 00 a1 78 c3 c0", Hex(Notepack.Encode(document.RootElement)));
    }

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    private static string Hex(byte[] bytes) => string.Join(' ', bytes.Select(b => b.ToString("x2")));

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
