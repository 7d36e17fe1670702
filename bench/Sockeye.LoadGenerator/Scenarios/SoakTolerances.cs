namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// The growth the soak accepts between the start and the end of its measured window (docs/soak.md says why these
/// defaults): resident set and managed heap in MiB, descriptors and threads in units.
/// </summary>
internal sealed record SoakTolerances(GrowthTolerance RssMiB, GrowthTolerance HeapMiB, GrowthTolerance Descriptors, GrowthTolerance Threads)
{
    public static SoakTolerances From(CommandLine options) => new(
        new GrowthTolerance(options.Double("rss-growth-pct", 10), options.Double("rss-growth-mib", 16)),
        new GrowthTolerance(options.Double("heap-growth-pct", 10), options.Double("heap-growth-mib", 8)),
        new GrowthTolerance(options.Double("fd-growth-pct", 10), options.Double("fd-growth", 32)),
        new GrowthTolerance(options.Double("thread-growth-pct", 10), options.Double("thread-growth", 8)));
}
