using Sockeye.Adapters;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis.Internal;

/// <summary>Reads broadcast options and events out of decoded messages (both modes share these shapes).</summary>
internal static class WireOptions
{
    /// <summary><c>{rooms, except, flags:{volatile, compress}}</c>; a missing object means everyone.</summary>
    public static BroadcastOptions Read(IReadOnlyDictionary<string, object?>? opts)
    {
        if (opts is null)
        {
            return BroadcastOptions.Everyone;
        }

        var flags = opts.Map("flags");
        var broadcastFlags = new BroadcastFlags(
            Local: false,
            Volatile: flags?.Flag("volatile") ?? false,
            Compress: flags?.Field("compress") is not false);
        return new BroadcastOptions(opts.Strings("rooms"), opts.Strings("except"), broadcastFlags);
    }

    /// <summary><c>[event, ...args]</c>; a number as event name is taken as its text, as Node does.</summary>
    public static bool TryReadEvent(object?[]? data, out string eventName, out object?[] args)
    {
        eventName = string.Empty;
        args = [];
        if (data is not { Length: > 0 } || data[0] is null)
        {
            return false;
        }

        eventName = data[0] as string ?? Convert.ToString(data[0], System.Globalization.CultureInfo.InvariantCulture)!;
        args = data[1..];
        return true;
    }
}
