namespace Sockeye.Redis;

/// <summary>
/// A cluster operation was refused at once because Redis is not reachable. Whatever concerns this server's own sockets
/// was done; the other servers were not told.
/// </summary>
public sealed class RedisBackplaneUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisBackplaneUnavailableException(string operation, Exception? innerException = null)
        : base($"{operation} could not reach the other servers: the Redis backplane is down", innerException)
    {
        Operation = operation;
    }

    /// <summary>The operation, as the Node API names it.</summary>
    public string Operation { get; } = string.Empty;
}
