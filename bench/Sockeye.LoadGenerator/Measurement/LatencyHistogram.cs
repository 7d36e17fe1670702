using System.Numerics;

namespace Sockeye.LoadGenerator.Measurement;

/// <summary>
/// Latencies in microseconds, in log-linear buckets: exact below 1,024 µs, then 512 buckets per power of two
/// (about 0.2 % precision) up to hours. Recording is one interlocked increment, so every receive loop records
/// directly without a lock.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 1024;
    private const int SubBuckets = 512;
    private const int Octaves = 40;
    private readonly long[] _counts = new long[Linear + (Octaves * SubBuckets)];
    private long _max;
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public long MaxMicros => Interlocked.Read(ref _max);

    public static long MicrosSince(long startTimestamp) => MicrosBetween(startTimestamp, System.Diagnostics.Stopwatch.GetTimestamp());

    public static long MicrosBetween(long startTimestamp, long endTimestamp) =>
        Math.Max(0, (endTimestamp - startTimestamp) * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _total);
        var max = Interlocked.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value at or below which <paramref name="percentile"/> % of the samples fall, in milliseconds.</summary>
    public double PercentileMillis(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), MaxMicros) / 1000.0;
            }
        }

        return MaxMicros / 1000.0;
    }

    private static int Index(long micros)
    {
        if (micros < Linear)
        {
            return (int)micros;
        }

        // micros >> shift lands in [512, 1023]; each octave above the linear range has 512 buckets.
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)micros) - 9;
        var index = Linear + ((shift - 1) * SubBuckets) + (int)((micros >> shift) - SubBuckets);
        return Math.Min(index, Linear + (Octaves * SubBuckets) - 1);
    }

    private static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var k = index - Linear;
        var shift = (k / SubBuckets) + 1;
        var mantissa = (long)(k % SubBuckets) + SubBuckets;
        return ((mantissa + 1) << shift) - 1;
    }
}
