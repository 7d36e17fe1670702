namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// The room messages one listener received, by sequence number. Written from its client's receive loop, read at the
/// end of the soak.
/// </summary>
internal sealed class RoomListener
{
    private readonly Lock _lock = new();
    private readonly HashSet<long> _received = [];

    /// <summary>Records a message; false when it was already received.</summary>
    public bool OnReceived(long sequence)
    {
        lock (_lock)
        {
            return _received.Add(sequence);
        }
    }

    public long CountMissing(IEnumerable<long> expected)
    {
        lock (_lock)
        {
            return expected.Count(sequence => !_received.Contains(sequence));
        }
    }
}
