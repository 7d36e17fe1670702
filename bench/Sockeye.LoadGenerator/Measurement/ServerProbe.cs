using System.Text.Json;

namespace Sockeye.LoadGenerator.Measurement;

/// <summary>
/// Asks the target to collect garbage (<c>GET /gc</c>, which every target serves) and reads its resident set
/// afterwards, so that memory per connection counts live objects only.
/// </summary>
internal static class ServerProbe
{
    public sealed record Memory(long RssBytes, long HeapBytes, string Gc);

    public static async Task<Memory> CollectAndMeasureAsync(Uri baseUri, int pid)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(baseUri, "/gc")).ConfigureAwait(false));
        var root = document.RootElement;

        // Freed pages leave the resident set asynchronously for some allocators: give them a moment.
        await Task.Delay(1000).ConfigureAwait(false);
        return new Memory(ProcessStats.RssBytes(pid), root.GetProperty("heap").GetInt64(), root.GetProperty("gc").GetString() ?? "?");
    }
}
