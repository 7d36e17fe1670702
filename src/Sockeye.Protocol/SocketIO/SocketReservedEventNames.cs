namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// Event names that neither side may send in an EVENT packet, because socket.io uses them for its own lifecycle
/// events (<c>socket.io-parser/lib/index.ts</c> RESERVED_EVENTS).
/// </summary>
public static class SocketReservedEventNames
{
    private static readonly string[] s_names =
        ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

    /// <summary>The reserved names: <c>connect</c>, <c>connect_error</c>, <c>disconnect</c>, <c>disconnecting</c>, <c>newListener</c>, <c>removeListener</c>.</summary>
    public static IReadOnlyList<string> All => s_names;

    /// <summary>Whether <paramref name="eventName"/> is reserved (ordinal comparison).</summary>
    /// <param name="eventName">The event name to test.</param>
    /// <returns><see langword="true"/> when the name may not be used in an EVENT packet.</returns>
    public static bool IsReserved(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        foreach (var name in s_names)
        {
            if (string.Equals(name, eventName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a JSON string element holds a reserved name, compared without allocating a string.</summary>
    internal static bool IsReserved(System.Text.Json.JsonElement eventName)
    {
        foreach (var name in s_names)
        {
            if (eventName.ValueEquals(name))
            {
                return true;
            }
        }

        return false;
    }
}
