using Sockeye.Protocol.EngineIO;

namespace Sockeye.Fuzz;

/// <summary>A polling request body, decoded as the engine does.</summary>
internal static class EnginePayloadTarget
{
    public static void Run(ReadOnlyMemory<byte> input)
    {
        var packets = new List<EnginePacket>();
        try
        {
            if (EnginePayload.TryDecode(input, packets, out var error) == (error is not null))
            {
                throw new InvalidOperationException("TryDecode's result and its error disagree.");
            }
        }
        catch (EngineProtocolException)
        {
            // The documented way to reject a payload.
        }
    }
}
