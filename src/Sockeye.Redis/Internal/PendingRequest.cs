namespace Sockeye.Redis.Internal;

/// <summary>A request waiting for one response from each of the other servers.</summary>
internal sealed class PendingRequest(int expected)
{
    private readonly List<Dictionary<string, object?>> _responses = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Expected => expected;

    public Task Completion => _completion.Task;

    public void Add(Dictionary<string, object?> response)
    {
        lock (_responses)
        {
            _responses.Add(response);
            if (_responses.Count >= expected)
            {
                _completion.TrySetResult();
            }
        }
    }

    public IReadOnlyList<Dictionary<string, object?>> Snapshot()
    {
        lock (_responses)
        {
            return [.. _responses];
        }
    }
}
