using Sockeye.Recovery;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis.Internal.Recovery;

/// <summary>
/// A stream entry is one field, <c>p</c>: MessagePack <c>[event, [args...], [rooms...], [except...]]</c>, the arguments
/// as plain trees (binary stays binary, as on the adapter's wire).
/// </summary>
internal static class StreamEntries
{
    public const string Field = "p";

    public static byte[] Encode(string eventName, object?[] wireArgs, IReadOnlySet<string> rooms, IReadOnlySet<string> except) =>
        Notepack.Encode(new object?[] { eventName, wireArgs, rooms.ToArray(), except.ToArray() });

    /// <summary>The packet of an entry, or <see langword="null"/> when the entry is not one of ours.</summary>
    public static StoredPacket? Decode(StreamEntry entry)
    {
        var value = entry[Field];
        if (value.IsNull
            || Notepack.Decode((ReadOnlyMemory<byte>)value) is not object?[] { Length: 4 } parts
            || parts[0] is not string eventName
            || parts[1] is not object?[] args)
        {
            return null;
        }

        var id = entry.Id.ToString();
        return new StoredPacket(id, eventName, args, Names(parts[2]), Names(parts[3]), EmittedAt(id));
    }

    /// <summary>Whether a client's offset is a stream id (<c>ms-seq</c>); anything else was never ours.</summary>
    public static bool IsStreamId(string offset) => TryParseId(offset, out _);

    /// <summary>Reads a stream id as its two numbers, in stream order.</summary>
    public static bool TryParseId(string offset, out (ulong Ms, ulong Seq) id)
    {
        id = default;
        var dash = offset.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !ulong.TryParse(offset.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            || !ulong.TryParse(offset.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        id = (ms, seq);
        return true;
    }

    private static HashSet<string> Names(object? value)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (value is object?[] items)
        {
            foreach (var item in items)
            {
                if (item is string name)
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    private static DateTimeOffset EmittedAt(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return long.TryParse(id.AsSpan(0, dash < 0 ? id.Length : dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MinValue;
    }
}
