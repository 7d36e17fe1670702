using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Sockeye.Protocol.SocketIO;

namespace Sockeye.Benchmarks;

/// <summary>
/// The Socket.IO packet codec on the shapes a chat sends: a small event, a 1 KB event, and a binary event with one
/// 4 KB attachment. Each encode benchmark writes exactly the bytes its decode twin reads.
/// </summary>
[MemoryDiagnoser]
public class SocketPacketBenchmarks
{
    private const int LargePacketLength = 1024;

    private readonly SocketPacketDecoder _decoder = new();
    private readonly ArrayBufferWriter<byte> _output = new(8 * 1024);
    private readonly List<ReadOnlyMemory<byte>> _attachments = new(1);
    private JsonSerializerOptions _options = null!;
    private byte[] _smallEvent = [];
    private byte[] _largeEvent = [];
    private byte[] _binaryHeader = [];
    private byte[] _attachment = [];
    private object?[] _smallArgs = [];
    private object?[] _largeArgs = [];
    private object?[] _binaryArgs = [];

    [GlobalSetup]
    public void Setup()
    {
        _options = SocketJson.CreateOptions();
        _attachment = new byte[4096];
        new Random(42).NextBytes(_attachment);

        var small = new ChatMessage("hello", "chat");
        var padding = LargePacketLength - Encode(small).Length + small.Text.Length;
        var large = new ChatMessage(LoremIpsum(padding), "chat");

        _smallArgs = [small];
        _largeArgs = [large];
        _binaryArgs = [_attachment];
        _smallEvent = Encode(small);
        _largeEvent = Encode(large);
        _binaryHeader = "51-[\"upload\",{\"_placeholder\":true,\"num\":0}]"u8.ToArray();

        Check(Encoding.UTF8.GetString(_smallEvent) == "2[\"chat_message\",{\"text\":\"hello\",\"room\":\"chat\"}]", "small event");
        Check(_largeEvent.Length == LargePacketLength, "1 KB event");
        Check(Decode_binary().Attachments[0].Length == _attachment.Length, "binary decode");
        Encode_binary();
        Check(_output.WrittenSpan.SequenceEqual(_binaryHeader) && _attachments.Count == 1, "binary encode");
    }

    [Benchmark]
    public SocketPacket Decode_small() => _decoder.DecodeText(_smallEvent)!;

    [Benchmark]
    public SocketPacket Decode_1KB() => _decoder.DecodeText(_largeEvent)!;

    /// <summary>The header parks the packet; the attachment completes it (and is copied, as the decoder documents).</summary>
    [Benchmark]
    public SocketPacket Decode_binary()
    {
        _decoder.DecodeText(_binaryHeader);
        return _decoder.DecodeBinary(_attachment)!;
    }

    [Benchmark]
    public int Encode_small() => WriteEvent("chat_message", _smallArgs);

    [Benchmark]
    public int Encode_1KB() => WriteEvent("chat_message", _largeArgs);

    /// <summary>The attachment is referenced, not copied: only the header and the placeholder are written.</summary>
    [Benchmark]
    public int Encode_binary() => WriteEvent("upload", _binaryArgs);

    private int WriteEvent(string eventName, object?[] args)
    {
        _output.ResetWrittenCount();
        _attachments.Clear();
        SocketPacketEncoder.WriteEvent(_output, SocketPacket.DefaultNamespace, eventName, args, null, _options, _attachments);
        return _output.WrittenCount;
    }

    private byte[] Encode(ChatMessage message)
    {
        WriteEvent("chat_message", [message]);
        return _output.WrittenSpan.ToArray();
    }

    private static string LoremIpsum(int length)
    {
        // Plain ASCII letters and spaces, so the web encoder escapes nothing and the length is exact.
        const string Words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ";
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            builder.Append(Words, 0, Math.Min(Words.Length, length - builder.Length));
        }

        return builder.ToString();
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The {what} benchmark input is wrong.");
        }
    }
}
