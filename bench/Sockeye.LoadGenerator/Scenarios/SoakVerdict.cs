using System.Globalization;
using System.Text.Json.Nodes;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// Pass or fail for a soak. Growth compares the median of the last third of the samples taken after the warm-up
/// with the median of the first third: a median ignores the odd sample taken during a burst of connects, and thirds
/// keep the start and the end apart however long the run. Any lost ack or room message, and any error, fails too.
/// </summary>
internal sealed class SoakVerdict
{
    private const int MinimumSamples = 3;
    private readonly List<string> _failures = [];
    private readonly JsonObject _growth = [];
    private readonly JsonObject _window = [];

    private SoakVerdict()
    {
    }

    public bool Passed => _failures.Count == 0;

    public IReadOnlyList<string> Failures => _failures;

    public static SoakVerdict Decide(IReadOnlyList<SoakSample> samples, double warmupSeconds, SoakTolerances tolerances, SoakCounters counters, long lostDeliveries)
    {
        var verdict = new SoakVerdict();
        var measured = samples.Where(sample => sample.Seconds >= warmupSeconds).ToArray();
        if (measured.Length < MinimumSamples)
        {
            verdict._failures.Add($"only {measured.Length} samples after the {warmupSeconds} s warm-up, {MinimumSamples} needed: run longer or sample more often");
        }
        else
        {
            var third = measured.Length / 3;
            var first = measured[..third];
            var last = measured[^third..];
            verdict._window["first_third_s"] = new JsonArray(Math.Round(first[0].Seconds, 1), Math.Round(first[^1].Seconds, 1));
            verdict._window["last_third_s"] = new JsonArray(Math.Round(last[0].Seconds, 1), Math.Round(last[^1].Seconds, 1));
            verdict.CheckGrowth("rss_mib", first, last, sample => sample.RssMiB, tolerances.RssMiB);
            verdict.CheckGrowth("heap_mib", first, last, sample => sample.HeapMiB, tolerances.HeapMiB);
            verdict.CheckGrowth("fds", first, last, sample => sample.Descriptors, tolerances.Descriptors);
            verdict.CheckGrowth("threads", first, last, sample => sample.Threads, tolerances.Threads);
        }

        var lostAcks = Interlocked.Read(ref counters.LostAcks);
        if (lostAcks > 0)
        {
            verdict._failures.Add($"{lostAcks} acks lost");
        }

        if (lostDeliveries > 0)
        {
            verdict._failures.Add($"{lostDeliveries} room messages lost");
        }

        if (counters.Errors > 0)
        {
            verdict._failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{counters.Errors} errors: {counters.ConnectFailures} connect failures, {counters.UnexpectedDisconnects} unexpected disconnects, {counters.CloseTimeouts} unanswered closes, {counters.LostAcks} lost acks, {counters.EchoMismatches} wrong echoes, {counters.DuplicateDeliveries} duplicate deliveries"));
        }

        return verdict;
    }

    public JsonObject ToJson() => new()
    {
        ["passed"] = Passed,
        ["failures"] = new JsonArray([.. _failures.Select(failure => JsonValue.Create(failure))]),
        ["window"] = _window,
        ["growth"] = _growth,
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private void CheckGrowth(string name, SoakSample[] first, SoakSample[] last, Func<SoakSample, double> value, GrowthTolerance tolerance)
    {
        var start = Median(first.Select(value));
        var end = Median(last.Select(value));
        var growth = end - start;
        var allowed = tolerance.AllowedGrowth(start);
        var passed = growth <= allowed;
        _growth[name] = new JsonObject
        {
            ["first"] = Math.Round(start, 2),
            ["last"] = Math.Round(end, 2),
            ["growth"] = Math.Round(growth, 2),
            ["allowed"] = Math.Round(allowed, 2),
            ["passed"] = passed,
        };

        if (!passed)
        {
            _failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name} grew by {growth:0.##} (from {start:0.##} to {end:0.##}), more than the {allowed:0.##} allowed"));
        }
    }
}
