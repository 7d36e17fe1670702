using System.Diagnostics;
using System.Runtime;

namespace Sockeye.Bench;

/// <summary>
/// <c>GET /gc</c>: a full blocking, compacting collection, so that the resident set the load generator reads next
/// holds live connections rather than garbage. Answers with the managed heap size and the GC mode.
/// </summary>
internal static class MemoryEndpoint
{
    public static void MapMemoryEndpoint(this WebApplication app) =>
        app.MapGet("/gc", static () => Results.Text(CollectAndDescribe(), "application/json"));

    /// <summary>Collects everything collectable and describes the heap left, as the JSON body of <c>GET /gc</c>.</summary>
    public static string CollectAndDescribe()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var mode = GCSettings.IsServerGC ? "server" : "workstation";
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var threads = Process.GetCurrentProcess().Threads.Count;
        return $$"""{"gc":"{{mode}}","heap":{{heap}},"threads":{{threads}},"cpus":{{Environment.ProcessorCount}}}""";
    }
}
