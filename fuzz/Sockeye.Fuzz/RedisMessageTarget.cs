using System.Text.Json;
using MessagePack;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Fuzz;

/// <summary>
/// A message from another node or an emitter, decoded as the Redis adapter does: a request or response (JSON or
/// MessagePack), and the same bytes as a MessagePack broadcast.
/// </summary>
internal static class RedisMessageTarget
{
    public static void Run(ReadOnlyMemory<byte> input)
    {
        try
        {
            WireValues.DecodeMessage(input);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or JsonException)
        {
            // What the adapter catches and logs as a malformed message.
        }

        try
        {
            Notepack.Decode(input);
        }
        catch (MessagePackSerializationException)
        {
            // What the adapter catches and logs as a malformed broadcast.
        }
    }
}
