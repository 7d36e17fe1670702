namespace Sockeye.Bench.Floor;

/// <summary>
/// The little of Engine.IO v4 / Socket.IO v5 the floors speak: a fixed open packet, a fixed CONNECT answer, and an
/// echo acknowledgement made by copying the event's arguments behind <c>43&lt;id&gt;[</c>. No JSON is parsed.
/// </summary>
internal static class FloorPackets
{
    /// <summary>Room an answer needs beyond the length of the packet it answers.</summary>
    public const int AnswerOverhead = 64;

    /// <summary>The Engine.IO open packet (WebSocket only, pings far beyond any scenario's length).</summary>
    public static ReadOnlySpan<byte> Open =>
        "0{\"sid\":\"FLOORFLOORFLOORFLOOR\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"u8;

    private static ReadOnlySpan<byte> Connected => "40{\"sid\":\"floorfloorfloorfloor\"}"u8;

    /// <summary>
    /// Writes the answer to one text packet into <paramref name="destination"/> (at least the packet's length plus
    /// <see cref="AnswerOverhead"/>) and returns its length, or 0 when the packet needs none.
    /// </summary>
    public static int Answer(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (packet.Length < 2 || packet[0] != (byte)'4')
        {
            return 0;
        }

        if (packet[1] == (byte)'0')
        {
            Connected.CopyTo(destination);
            return Connected.Length;
        }

        // 42<id>["echo",<args>]  →  43<id>[<args>]
        var comma = packet.IndexOf((byte)',');
        if (packet[1] != (byte)'2' || comma < 0)
        {
            return 0;
        }

        var idEnd = 2;
        while (idEnd < packet.Length && char.IsAsciiDigit((char)packet[idEnd]))
        {
            idEnd++;
        }

        var args = packet[(comma + 1)..];
        destination[0] = (byte)'4';
        destination[1] = (byte)'3';
        packet[2..idEnd].CopyTo(destination[2..]);
        var n = idEnd;
        destination[n++] = (byte)'[';
        args.CopyTo(destination[n..]);
        return n + args.Length;
    }
}
