using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sockeye.Protocol.EngineIO;

namespace Sockeye.Benchmarks;

/// <summary>
/// The HTTP long-polling payload: decoding a POST body into packets, and encoding queued packets into a GET response.
/// </summary>
[MemoryDiagnoser]
public class EnginePayloadBenchmarks
{
    private static readonly byte[] s_event = "2[\"chat_message\",{\"text\":\"hello\",\"room\":\"chat\"}]"u8.ToArray();
    private static readonly byte[] s_binaryHeader = "51-[\"upload\",{\"_placeholder\":true,\"num\":0}]"u8.ToArray();

    private readonly List<EnginePacket> _packets = new(16);
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _attachment = [];
    private byte[] _onePacket = [];
    private byte[] _tenPackets = [];
    private byte[] _binaryPayload = [];

    [GlobalSetup]
    public void Setup()
    {
        _attachment = new byte[4096];
        new Random(42).NextBytes(_attachment);

        var message = "4" + Encoding.UTF8.GetString(s_event);
        _onePacket = Encoding.UTF8.GetBytes(message);
        _tenPackets = Encoding.UTF8.GetBytes(string.Join('\u001e', Enumerable.Repeat(message, 10)));

        // A binary event over polling: its text header, then the attachment as a base64 record.
        _binaryPayload = Encoding.UTF8.GetBytes(
            "4" + Encoding.UTF8.GetString(s_binaryHeader) + "\u001eb" + Convert.ToBase64String(_attachment));

        // Both forms must round-trip, or the benchmarks would time the error path.
        Check(Decode_1_text() == 1 && Decode_10_text() == 10 && Decode_binary() == 2, "decode");
        Check(Encode_10_text() == _tenPackets.Length && Encode_binary() == _binaryPayload.Length, "encode");
    }

    [Benchmark]
    public int Decode_1_text() => Decode(_onePacket);

    [Benchmark]
    public int Decode_10_text() => Decode(_tenPackets);

    /// <summary>The base64 record is decoded into a new array: that copy is most of the allocation.</summary>
    [Benchmark]
    public int Decode_binary() => Decode(_binaryPayload);

    [Benchmark]
    public int Encode_1_text()
    {
        _output.ResetWrittenCount();
        EnginePacketCodec.WriteText(_output, EnginePacketType.Message, s_event);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Encode_10_text()
    {
        _output.ResetWrittenCount();
        for (var i = 0; i < 10; i++)
        {
            if (i > 0)
            {
                EnginePayload.WriteSeparator(_output);
            }

            EnginePacketCodec.WriteText(_output, EnginePacketType.Message, s_event);
        }

        return _output.WrittenCount;
    }

    [Benchmark]
    public int Encode_binary()
    {
        _output.ResetWrittenCount();
        EnginePacketCodec.WriteText(_output, EnginePacketType.Message, s_binaryHeader);
        EnginePayload.WriteSeparator(_output);
        EnginePacketCodec.WriteBase64(_output, _attachment);
        return _output.WrittenCount;
    }

    private int Decode(byte[] payload)
    {
        _packets.Clear();
        if (!EnginePayload.TryDecode(payload, _packets, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return _packets.Count;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The {what} benchmark input is wrong.");
        }
    }
}
