using System.Buffers;
using System.Text.Json;
using CsCheck;
using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

public partial class SocketPacketEncoderTests
{
    // Any Unicode scalar value, so strings are valid UTF-16 and exercise 1- to 4-byte UTF-8 and escaping.
    private static readonly Gen<string> s_text = Gen.OneOf(
            Gen.Int[0x20, 0x7e],
            Gen.Int[0x00, 0x1f],
            Gen.Int[0x80, 0xd7ff],
            Gen.Int[0xe000, 0xffff],
            Gen.Int[0x10000, 0x10ffff])
        .Select(char.ConvertFromUtf32)
        .Array[0, 6]
        .Select(string.Concat);

    private static readonly Gen<Node> s_leaf = Gen.Frequency(
        (3, s_text.Select(value => (Node)new Text(value))),
        (2, Gen.Long.Select(value => (Node)new Integer(value))),
        (2, Gen.Double.Where(double.IsFinite).Select(value => (Node)new Real(value))),
        (1, Gen.Bool.Select(value => (Node)new Flag(value))),
        (1, Gen.Const((Node)new Null())),
        (3, Gen.Byte.Array[0, 40].Select(value => (Node)new Bytes(value))));

    private static readonly Gen<Node> s_tree = Gen.Recursive<Node>((depth, tree) => depth >= 4
        ? s_leaf
        : Gen.Frequency(
            (4, s_leaf),
            (1, tree.Array[0, 4].Select(items => (Node)new List(items))),
            (1, Gen.Select(s_text, tree).Array[0, 4].Select(properties => (Node)new Map(properties
                .DistinctBy(property => property.Item1)
                .ToDictionary(property => property.Item1, property => property.Item2))))));

    [Fact]
    public void Arbitrary_trees_with_binary_leaves_round_trip_through_encoder_and_decoder()
    {
        var gen = Gen.Select(s_tree.Array[0, 4], Gen.Long[0, long.MaxValue].Nullable(0.5));

        Check.Sample(gen, (args, ackId) =>
        {
            var output = new ArrayBufferWriter<byte>();
            var attachments = new List<ReadOnlyMemory<byte>>();
            var values = args.Select(ToValue).ToArray();

            SocketPacketEncoder.WriteEvent(output, "/tree", "tree", values, ackId, Wire.Options, attachments);
            var packet = Decode(output.WrittenSpan, attachments);

            Assert.Equal(attachments.Count == 0 ? SocketPacketType.Event : SocketPacketType.BinaryEvent, packet.Type);
            Assert.Equal("/tree", packet.Namespace);
            Assert.Equal(ackId, packet.AckId);
            var data = packet.Data!.Value;
            Assert.Equal(args.Length + 1, data.GetArrayLength());
            Assert.Equal("tree", data[0].GetString());
            var nextNum = 0;
            for (var i = 0; i < args.Length; i++)
            {
                AssertSame(args[i], data[i + 1], packet.Attachments, ref nextNum);
            }

            Assert.Equal(attachments.Count, nextNum);
        }, iter: 500);
    }

    private static SocketPacket Decode(ReadOnlySpan<byte> text, List<ReadOnlyMemory<byte>> attachments)
    {
        var decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = int.MaxValue });
        var packet = decoder.DecodeText(text);
        foreach (var attachment in attachments)
        {
            Assert.Null(packet);
            packet = decoder.DecodeBinary(attachment);
        }

        Assert.NotNull(packet);
        return packet;
    }

    /// <summary>Compares the model with the decoded JSON, in document order, so placeholders must count up from 0.</summary>
    private static void AssertSame(Node expected, JsonElement actual, IReadOnlyList<ReadOnlyMemory<byte>> attachments, ref int nextNum)
    {
        switch (expected)
        {
            case Text text:
                Assert.Equal(text.Value, actual.GetString());
                break;
            case Integer integer:
                Assert.Equal(integer.Value, actual.GetInt64());
                break;
            case Real real:
                Assert.Equal(real.Value, actual.GetDouble());
                break;
            case Flag flag:
                Assert.Equal(flag.Value ? JsonValueKind.True : JsonValueKind.False, actual.ValueKind);
                break;
            case Null:
                Assert.Equal(JsonValueKind.Null, actual.ValueKind);
                break;
            case Bytes bytes:
                Assert.True(SocketJson.IsPlaceholder(actual, out var num));
                Assert.Equal(nextNum++, num);
                Assert.Equal(bytes.Value, attachments[num].ToArray());
                break;
            case List list:
                Assert.Equal(list.Items.Length, actual.GetArrayLength());
                for (var i = 0; i < list.Items.Length; i++)
                {
                    AssertSame(list.Items[i], actual[i], attachments, ref nextNum);
                }

                break;
            case Map map:
                Assert.Equal(map.Properties.Count, actual.EnumerateObject().Count());
                foreach (var property in actual.EnumerateObject())
                {
                    AssertSame(map.Properties[property.Name], property.Value, attachments, ref nextNum);
                }

                break;
        }
    }

    private static object? ToValue(Node node) => node switch
    {
        Text text => text.Value,
        Integer integer => integer.Value,
        Real real => real.Value,
        Flag flag => flag.Value,
        Bytes bytes => bytes.Value,
        List list => list.Items.Select(ToValue).ToArray(),
        Map map => map.Properties.ToDictionary(property => property.Key, property => ToValue(property.Value)),
        _ => null,
    };

    private abstract record Node;

    private sealed record Text(string Value) : Node;

    private sealed record Integer(long Value) : Node;

    private sealed record Real(double Value) : Node;

    private sealed record Flag(bool Value) : Node;

    private sealed record Null : Node;

    private sealed record Bytes(byte[] Value) : Node;

    private sealed record List(Node[] Items) : Node;

    private sealed record Map(Dictionary<string, Node> Properties) : Node;
}
