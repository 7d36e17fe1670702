namespace Sockeye.Redis;

/// <summary>
/// Options of the <see cref="RedisConnectionStateStore"/>. The time and count bounds are those of
/// <see cref="Recovery.ConnectionStateRecoveryOptions"/> (<c>MaxDisconnectionDuration</c>, <c>MaxPackets</c>).
/// </summary>
public sealed class RedisConnectionStateStoreOptions
{
    /// <summary>The recoverable packets of namespace <c>/x</c> go to the stream <c>{StreamKeyPrefix}/x</c>. Default
    /// <c>sockeye:recovery:stream:</c>.</summary>
    /// <remarks>Every server of a cluster must use the same prefixes.</remarks>
    public string StreamKeyPrefix { get; set; } = "sockeye:recovery:stream:";

    /// <summary>The session of private id <c>p</c> is the key <c>{SessionKeyPrefix}p</c>. Default
    /// <c>sockeye:recovery:session:</c>.</summary>
    public string SessionKeyPrefix { get; set; } = "sockeye:recovery:session:";

    /// <summary>How often each server goes over all its connected sockets and writes the sessions that changed. Default
    /// 2 s.</summary>
    /// <remarks>When a server dies without a goodbye (a crash, <c>kill -9</c>), its clients recover from what it wrote
    /// last. A socket that connects or changes rooms is written within about 50 ms; changes to <c>Socket.Data</c> cannot
    /// be observed and are written by this periodic pass, so data changed less than this before a crash is not
    /// restored. Each pass serializes every connected socket's rooms and data to compare them with what was written;
    /// only changed sessions are written, and unchanged ones are kept alive with a <c>PEXPIRE</c> every quarter of
    /// <c>MaxDisconnectionDuration</c>.</remarks>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(2);

    internal string? Validate()
    {
        if (string.IsNullOrEmpty(StreamKeyPrefix) || string.IsNullOrEmpty(SessionKeyPrefix))
        {
            return "RedisConnectionStateStoreOptions: the key prefixes must not be empty.";
        }

        return SnapshotInterval <= TimeSpan.Zero ? "RedisConnectionStateStoreOptions.SnapshotInterval must be positive." : null;
    }
}
