using System.Text.Json;
using MessagePack;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis.Tests.Fuzz;

/// <summary>
/// Messages found by fuzzing the Redis message decoder (fuzz/run.sh redis-message): each once escaped as an exception
/// the adapter does not catch, or ended the process. They must fail as a malformed message.
/// </summary>
public sealed class MessageDecoderRegressionTests
{
    [Theory]
    [InlineData("92 01")] // an array of two items holding one
    [InlineData("81 a1 61")] // a map whose only value is missing
    [InlineData("db db 7a 22 22")] // str32 announcing more than int.MaxValue bytes
    [InlineData("c6 80 00 00 00 01")] // bin32 announcing more than int.MaxValue bytes
    public void Truncated_or_oversized_MessagePack_is_a_serialization_error(string hex)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));

        Assert.Throws<MessagePackSerializationException>(() => WireValues.DecodeMessage(bytes));
        Assert.Throws<MessagePackSerializationException>(() => Notepack.Decode(bytes));
    }

    [Fact]
    public void MessagePack_nested_beyond_the_limit_is_a_serialization_error_not_a_stack_overflow()
    {
        // One byte per level (fixarray of one item): a million levels used to overflow the stack and end the process.
        var bytes = Enumerable.Repeat((byte)0x91, 1_000_000).Append((byte)0xc0).ToArray();

        Assert.Throws<MessagePackSerializationException>(() => WireValues.DecodeMessage(bytes));
    }

    [Fact]
    public void MessagePack_nested_up_to_the_limit_still_decodes()
    {
        var bytes = Enumerable.Repeat((byte)0x91, Notepack.MaxDepth).Append((byte)0x01).ToArray();

        var tree = Notepack.Decode(bytes);

        for (var i = 0; i < Notepack.MaxDepth; i++)
        {
            tree = Assert.Single(Assert.IsType<object?[]>(tree));
        }

        Assert.Equal(1L, tree);
    }

    [Fact]
    public void A_JSON_request_with_invalid_UTF_8_in_a_string_is_a_JSON_error()
    {
        // {"type":6,"r":"<0xbc>3","":{"n":1.5}}: JsonDocument accepted it and GetString threw InvalidOperationException.
        var bytes = Convert.FromHexString("7b2274797065223a362c2272223a22bc33222c22223a7b226e223a312e357d7d");

        Assert.ThrowsAny<JsonException>(() => WireValues.DecodeMessage(bytes));
    }
}
