namespace Sockeye.Chat.Operations;

/// <summary>
/// Whether the service is draining for shutdown, and the messages still being handled: shutdown waits for them so
/// that every message a client saw acknowledged is in the database.
/// </summary>
public sealed class DrainState
{
    private readonly Lock _lock = new();
    private int _inFlight;
    private TaskCompletionSource? _idle;

    /// <summary>Whether shutdown has begun: readiness is false and new connections are refused.</summary>
    public bool IsDraining { get; private set; }

    /// <summary>The messages being handled now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Marks the start of shutdown.</summary>
    public void BeginDrain()
    {
        lock (_lock)
        {
            IsDraining = true;
        }
    }

    /// <summary>Counts a message as in flight until the returned handle is disposed.</summary>
    public InFlightHandle Track()
    {
        lock (_lock)
        {
            _inFlight++;
        }

        return new InFlightHandle(this);
    }

    /// <summary>Waits until no message is in flight, or the timeout passes.</summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout)
    {
        Task idle;
        lock (_lock)
        {
            if (_inFlight == 0)
            {
                return true;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            if (--_inFlight == 0)
            {
                _idle?.TrySetResult();
                _idle = null;
            }
        }
    }

    /// <summary>Ends the tracking of one message.</summary>
    public readonly struct InFlightHandle(DrainState owner) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => owner?.Release();
    }
}
