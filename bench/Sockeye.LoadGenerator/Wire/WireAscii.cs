namespace Sockeye.LoadGenerator.Wire;

/// <summary>The little ASCII the wire formats need: digits in, digits out.</summary>
internal static class WireAscii
{
    /// <summary>Parses the decimal digits at <paramref name="pos"/>; returns -1 when there are none.</summary>
    public static long ParseDigits(ReadOnlySpan<byte> span, ref int pos)
    {
        var start = pos;
        long value = 0;
        while (pos < span.Length && (uint)(span[pos] - '0') <= 9)
        {
            value = (value * 10) + (span[pos] - '0');
            pos++;
        }

        return pos == start ? -1 : value;
    }

    public static int WriteDigits(Span<byte> destination, long value)
    {
        if (!value.TryFormat(destination, out var written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        return written;
    }

    public static int Write(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }
}
