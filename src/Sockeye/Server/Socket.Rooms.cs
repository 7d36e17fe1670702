namespace Sockeye;

public sealed partial class Socket
{
    /// <summary>The rooms this socket is in (a snapshot; it always includes its own id).</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.GetSocketRooms(Id);

    /// <summary>Every other socket of the namespace (the sender is left out).</summary>
    public BroadcastOperator Broadcast => Namespace.Operator.Except(Id);

    /// <summary>Joins a room.</summary>
    public void Join(string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        Join([room]);
    }

    /// <summary>Joins several rooms.</summary>
    public void Join(IEnumerable<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        if (!Connected)
        {
            return;
        }

        var list = rooms as IReadOnlyCollection<string> ?? [.. rooms];
        var limit = Namespace.Server.Options.MaxRoomsPerSocket;
        var current = Rooms;
        var added = list.Count(r => !current.Contains(r));
        if (current.Count + added > limit)
        {
            throw new InvalidOperationException($"Socket {Id} would be in more than {limit} rooms (MaxRoomsPerSocket).");
        }

        Namespace.Adapter.AddAll(Id, list);
        OnSessionChanged();
    }

    /// <summary>Leaves a room.</summary>
    public void Leave(string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        Namespace.Adapter.Delete(Id, room);
        OnSessionChanged();
    }

    private void OnSessionChanged()
    {
        if (Pid is not null)
        {
            Namespace.Server.SessionChanged?.Invoke(this);
        }
    }

    /// <summary>The other members of a room (the sender is left out).</summary>
    public BroadcastOperator To(string room) => Broadcast.To(room);

    /// <summary>The other members of several rooms (the sender is left out).</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => Broadcast.To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => Broadcast.To(room);

    /// <summary>Every other socket except the members of a room.</summary>
    public BroadcastOperator Except(string room) => Broadcast.Except(room);
}
