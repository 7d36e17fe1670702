namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// One room of the soak. Churning clients join it and publish into it; its listeners stay in it from the first
/// publish to the last, so each publish the server acknowledged must reach each of them exactly once. What a
/// listener has not received by the end, after a grace period, is a lost message.
/// </summary>
internal sealed class SoakRoom
{
    private readonly Lock _lock = new();
    private readonly List<long> _acknowledged = [];

    public SoakRoom(string name) => Name = name;

    public string Name { get; }

    public List<RoomListener> Listeners { get; } = [];

    /// <summary>The server acknowledged the publish with this sequence number.</summary>
    public void OnAcknowledged(long sequence)
    {
        lock (_lock)
        {
            _acknowledged.Add(sequence);
        }
    }

    /// <summary>Acknowledged publishes a listener has not received, summed over the listeners.</summary>
    public long CountMissing()
    {
        long[] acknowledged;
        lock (_lock)
        {
            acknowledged = [.. _acknowledged];
        }

        return Listeners.Sum(listener => listener.CountMissing(acknowledged));
    }
}
