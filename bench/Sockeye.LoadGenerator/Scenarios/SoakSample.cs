using System.Text.Json.Nodes;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// The server's resources at one moment of the soak (resident set and managed heap read after a full collection,
/// descriptors, threads), with the clients' counters at the same moment.
/// </summary>
internal sealed record SoakSample(
    double Seconds,
    long RssBytes,
    long HeapBytes,
    int Descriptors,
    int Threads,
    int Sessions,
    long Connects,
    long Disconnects,
    long Drops,
    long Acks,
    long Errors)
{
    private const double MiB = 1024 * 1024;

    public double RssMiB => RssBytes / MiB;

    public double HeapMiB => HeapBytes / MiB;

    public JsonObject ToJson() => new()
    {
        ["t"] = Math.Round(Seconds, 1),
        ["rss_mib"] = Math.Round(RssMiB, 1),
        ["heap_mib"] = Math.Round(HeapMiB, 2),
        ["fds"] = Descriptors,
        ["threads"] = Threads,
        ["sessions"] = Sessions,
        ["connects"] = Connects,
        ["disconnects"] = Disconnects,
        ["drops"] = Drops,
        ["acks"] = Acks,
        ["errors"] = Errors,
    };
}
