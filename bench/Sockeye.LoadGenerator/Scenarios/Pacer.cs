using System.Diagnostics;
using Sockeye.LoadGenerator.Measurement;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// Fires at a fixed rate for a fixed time, open loop: it never waits for answers, so a slow server cannot slow the
/// offered load down. Timer wake-ups are about a millisecond apart, so requests leave in small bursts; how late each
/// one left compared with an even schedule is recorded in <see cref="Lag"/>, so a reader can tell whether the load
/// generator kept up.
/// </summary>
internal sealed class Pacer
{
    public LatencyHistogram Lag { get; } = new();

    /// <summary>Calls <paramref name="fire"/> <c>rate × duration</c> times; returns how many.</summary>
    public async Task<long> RunAsync(double rate, TimeSpan duration, Action<long> fire)
    {
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / rate;
        var total = (long)(rate * duration.TotalSeconds);
        long n = 0;
        while (n < total)
        {
            var now = Stopwatch.GetTimestamp();
            var due = start + (long)(n * interval);
            if (now < due)
            {
                var wait = TimeSpan.FromSeconds((due - now) / (double)Stopwatch.Frequency);
                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait).ConfigureAwait(false);
                continue;
            }

            while (n < total && start + (long)(n * interval) <= now)
            {
                Lag.Record(LatencyHistogram.MicrosBetween(start + (long)(n * interval), now));
                fire(n);
                n++;
            }
        }

        return n;
    }
}
