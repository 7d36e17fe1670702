namespace Sockeye.Chat.Cluster;

/// <summary>The cluster module's log messages (event ids 6000-6099).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(6000, LogLevel.Debug, "Presence of {UserId} in {Room} not written to Redis; this instance's share is written again once Redis answers.", EventName = "PresenceWriteFailed")]
    public static partial void PresenceWriteFailed(ILogger logger, string room, string userId, Exception exception);

    [LoggerMessage(6001, LogLevel.Debug, "Presence of {Room} read from this instance only: Redis failed.", EventName = "PresenceReadFailed")]
    public static partial void PresenceReadFailed(ILogger logger, string room, Exception exception);

    [LoggerMessage(6002, LogLevel.Warning, "Cluster heartbeat failed: presence falls back to this instance's connections until Redis answers.", EventName = "HeartbeatFailed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(6003, LogLevel.Information, "Cluster heartbeat restored.", EventName = "HeartbeatRestored")]
    public static partial void HeartbeatRestored(ILogger logger);

    [LoggerMessage(6004, LogLevel.Information, "{Count} users went offline with instances silent for more than {Timeout}.", EventName = "InstancesReaped")]
    public static partial void InstancesReaped(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(6005, LogLevel.Information, "Presence share of instance {InstanceId} written to Redis: {Entries} entries, {Joined} users back online, {Left} gone.", EventName = "PresenceResynchronized")]
    public static partial void Resynchronized(ILogger logger, string instanceId, int entries, int joined, int left);

    [LoggerMessage(6006, LogLevel.Debug, "De-duplication of message {MessageId} falls back to the database: Redis failed.", EventName = "DeduplicationFallback")]
    public static partial void DeduplicationFallback(ILogger logger, Guid messageId, Exception exception);

    [LoggerMessage(6007, LogLevel.Debug, "Message {MessageId} of {UserId} answered from Redis with record {Id}.", EventName = "DuplicateFromRedis")]
    public static partial void DuplicateFromRedis(ILogger logger, Guid messageId, string userId, long id);
}
