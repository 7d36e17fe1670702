namespace Sockeye;

/// <summary>No acknowledgement arrived within the timeout of an emit.</summary>
public sealed class AckTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for an event.</summary>
    public AckTimeoutException(string eventName, TimeSpan timeout)
        : base($"operation has timed out: no acknowledgement of '{eventName}' within {timeout.TotalMilliseconds} ms")
    {
        EventName = eventName;
    }

    /// <summary>Creates the exception for a broadcast, with the answers that did arrive.</summary>
    public AckTimeoutException(string eventName, TimeSpan timeout, IReadOnlyList<SocketArguments> responses)
        : this(eventName, timeout)
    {
        Responses = responses;
    }

    /// <summary>The event that was not acknowledged.</summary>
    public string EventName { get; } = string.Empty;

    /// <summary>For a broadcast, the acknowledgements received before the timeout.</summary>
    public IReadOnlyList<SocketArguments> Responses { get; } = [];
}
