namespace Sockeye;

/// <summary>
/// The handlers of one event in a socket's handler table. The table is an immutable array of these, searched in
/// order and replaced on every change: a socket registers a handful of events, so a linear search costs less than
/// hashing the name, and every idle connection carries the table (about 170 bytes for three events, where an
/// immutable dictionary took over 260).
/// </summary>
internal readonly record struct EventHandlers(string EventName, Func<SocketEventContext, Task>[] Handlers)
{
    /// <summary>The handlers of <paramref name="eventName"/> in registration order, or null.</summary>
    public static Func<SocketEventContext, Task>[]? Find(EventHandlers[] table, string eventName)
    {
        foreach (var entry in table)
        {
            if (string.Equals(entry.EventName, eventName, StringComparison.Ordinal))
            {
                return entry.Handlers;
            }
        }

        return null;
    }

    /// <summary>A new table with <paramref name="handler"/> added after the event's other handlers.</summary>
    public static EventHandlers[] With(EventHandlers[] table, string eventName, Func<SocketEventContext, Task> handler)
    {
        for (var i = 0; i < table.Length; i++)
        {
            if (string.Equals(table[i].EventName, eventName, StringComparison.Ordinal))
            {
                var next = (EventHandlers[])table.Clone();
                next[i] = table[i] with { Handlers = [.. table[i].Handlers, handler] };
                return next;
            }
        }

        return [.. table, new EventHandlers(eventName, [handler])];
    }

    /// <summary>A new table without the event, or the same table when it has no handlers for it.</summary>
    public static EventHandlers[] Without(EventHandlers[] table, string eventName)
    {
        var index = Array.FindIndex(table, entry => string.Equals(entry.EventName, eventName, StringComparison.Ordinal));
        return index < 0 ? table : [.. table.AsSpan(0, index), .. table.AsSpan(index + 1)];
    }
}
