namespace Sockeye.Adapters;

/// <summary>
/// Gathers the acknowledgements of a broadcast: completes when the expected number arrived, fails with the partial
/// list when the timeout passes first. Cluster adapters raise the expectation as other servers report their counts.
/// </summary>
public sealed class AckCollector
{
    private readonly Lock _lock = new();
    private readonly List<SocketArguments> _responses = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected;
    private int _pendingServers;

    /// <summary>Adds to the number of answers awaited.</summary>
    public void Expect(int count)
    {
        lock (_lock)
        {
            _expected += count;
            CompleteIfDoneLocked();
        }
    }

    /// <summary>Declares servers whose recipient counts are still to come; the collector waits for them.</summary>
    public void ExpectServers(int servers)
    {
        lock (_lock)
        {
            _pendingServers += servers;
        }
    }

    /// <summary>Records the recipient count of one more server.</summary>
    public void ServerCounted(int count)
    {
        lock (_lock)
        {
            _pendingServers--;
            _expected += count;
            CompleteIfDoneLocked();
        }
    }

    /// <summary>Records one answer.</summary>
    public void Add(SocketArguments response)
    {
        lock (_lock)
        {
            _responses.Add(response);
            CompleteIfDoneLocked();
        }
    }

    /// <summary>Waits for every answer.</summary>
    public async Task<IReadOnlyList<SocketArguments>> WaitAsync(string eventName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                throw new AckTimeoutException(eventName, timeout, [.. _responses]);
            }
        }

        lock (_lock)
        {
            return [.. _responses];
        }
    }

    private void CompleteIfDoneLocked()
    {
        if (_pendingServers <= 0 && _responses.Count >= _expected)
        {
            _done.TrySetResult();
        }
    }
}
