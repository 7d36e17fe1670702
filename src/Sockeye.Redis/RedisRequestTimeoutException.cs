namespace Sockeye.Redis;

/// <summary>A cluster request did not get an answer from every server in time (a server died, or is overloaded).</summary>
public sealed class RedisRequestTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public RedisRequestTimeoutException(string operation, int expectedResponses, int receivedResponses, TimeSpan timeout)
        : base($"{operation} timed out after {timeout.TotalMilliseconds} ms: {receivedResponses} of {expectedResponses} other servers answered")
    {
        Operation = operation;
        ExpectedResponses = expectedResponses;
        ReceivedResponses = receivedResponses;
    }

    /// <summary>The operation, as the Node API names it (<c>fetchSockets</c>, <c>allRooms</c>, ...).</summary>
    public string Operation { get; } = string.Empty;

    /// <summary>How many other servers were expected to answer.</summary>
    public int ExpectedResponses { get; }

    /// <summary>How many did.</summary>
    public int ReceivedResponses { get; }
}
