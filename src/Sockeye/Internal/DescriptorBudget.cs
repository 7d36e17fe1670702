using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Sockeye.Internal;

/// <summary>
/// Caps Kestrel's connections below the process's file-descriptor limit when the application set no cap itself.
/// </summary>
/// <remarks>
/// A process that runs out of descriptors does not only fail to accept: the runtime aborts it ("Out of memory.", exit
/// 134) when it needs one for itself, taking every open session down. Node refuses the extra connections and keeps
/// serving; with this cap Kestrel closes the extra connections at once instead, and accepts again once some close.
/// The budget is the soft <c>RLIMIT_NOFILE</c> minus the descriptors open at start-up minus a reserve of
/// <see cref="Reserve"/> for the runtime (assemblies loaded later, logs, outgoing connections); three quarters of it go
/// to upgraded (WebSocket) connections, the rest to plain HTTP, because Kestrel counts the two separately.
/// </remarks>
internal sealed class DescriptorBudget : IConfigureOptions<KestrelServerOptions>
{
    public const int Reserve = 128;

    public void Configure(KestrelServerOptions options)
    {
        if (options.Limits.MaxConcurrentConnections is not null || options.Limits.MaxConcurrentUpgradedConnections is not null
            || !OperatingSystem.IsLinux() || SoftLimit() is not { } limit)
        {
            return;
        }

        var budget = Math.Max(4, limit - Directory.GetFiles("/proc/self/fd").Length - Reserve);
        options.Limits.MaxConcurrentUpgradedConnections = budget * 3 / 4;
        options.Limits.MaxConcurrentConnections = budget - (budget * 3 / 4);
    }

    // "Max open files            1024                 4096                 files" in /proc/self/limits.
    private static long? SoftLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is [var soft, ..] && long.TryParse(soft, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
