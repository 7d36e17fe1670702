namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// Sends a pacer started without waiting for them: most complete at once; the few that do not are kept so the
/// scenario can wait for them before it reads its counters.
/// </summary>
internal sealed class PendingSends
{
    private readonly List<Task> _pending = [];
    private readonly Lock _lock = new();

    public void Track(ValueTask send)
    {
        if (send.IsCompletedSuccessfully)
        {
            return;
        }

        var task = send.AsTask();
        lock (_lock)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(task);
        }
    }

    public Task WhenAllAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_pending);
        }
    }
}
