using System.Collections.Frozen;

namespace Sockeye.Adapters;

/// <summary>Who receives a broadcast: sockets in any of <see cref="Rooms"/> (everyone when empty) and in none of <see cref="Except"/>.</summary>
public sealed class BroadcastOptions
{
    /// <summary>Creates the options.</summary>
    public BroadcastOptions(IReadOnlySet<string> rooms, IReadOnlySet<string> except, BroadcastFlags flags)
    {
        Rooms = rooms;
        Except = except;
        Flags = flags;
        if (rooms.Count == 1)
        {
            foreach (var room in rooms)
            {
                SingleRoom = room;
            }
        }
    }

    /// <summary>The room when exactly one is targeted (the common case, resolved without enumerating a set).</summary>
    internal string? SingleRoom { get; }

    /// <summary>Everyone in the namespace.</summary>
    public static BroadcastOptions Everyone { get; } = new(FrozenSet<string>.Empty, FrozenSet<string>.Empty, new BroadcastFlags());

    /// <summary>The rooms whose members receive the packet (a union); empty means every socket of the namespace.</summary>
    public IReadOnlySet<string> Rooms { get; }

    /// <summary>The rooms whose members are left out.</summary>
    public IReadOnlySet<string> Except { get; }

    /// <summary>The modifiers.</summary>
    public BroadcastFlags Flags { get; }
}
