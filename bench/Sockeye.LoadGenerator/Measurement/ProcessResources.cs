using System.Globalization;

namespace Sockeye.LoadGenerator.Measurement;

/// <summary>Open file descriptors and threads of a process, from <c>/proc/&lt;pid&gt;</c>: what a leak of sockets,
/// timers or blocked threads makes grow while memory may still look flat.</summary>
internal static class ProcessResources
{
    /// <summary>Entries of <c>/proc/&lt;pid&gt;/fd</c>: sockets, pipes, files, epoll and event descriptors.</summary>
    public static int OpenDescriptors(int pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();

    /// <summary>The <c>Threads:</c> line of <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public static int Threads(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
