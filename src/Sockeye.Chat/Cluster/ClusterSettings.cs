using System.Globalization;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Cluster;

/// <summary>
/// How the instances that share one Redis keep presence and de-duplication common, read with the other settings
/// when <c>REDIS_URL</c> is set.
/// </summary>
internal sealed class ClusterSettings
{
    /// <summary>The prefix of every key the chat writes in Redis (the adapter's channels start with <c>socket.io</c>).</summary>
    public const string KeyPrefix = "sockeye-chat:";

    /// <summary>Where Redis is: a <c>redis://</c> URL or a StackExchange.Redis configuration string.</summary>
    public required string RedisUrl { get; init; }

    /// <summary>
    /// <c>CLUSTER_INSTANCE_TIMEOUT_MS</c> (default 10,000): an instance that has not renewed its heartbeat for this long
    /// is taken for dead, and its connections are removed from presence (with <c>user_left</c> where they were the last).
    /// </summary>
    public TimeSpan InstanceTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an instance renews its heartbeat and looks for dead ones: five times per timeout.</summary>
    public TimeSpan HeartbeatInterval => InstanceTimeout / 5;

    /// <summary>
    /// How long a stored message is remembered in Redis by (user, <c>message_id</c>): 24 h, well beyond any client's
    /// retry (the web client's outbox retries for as long as the page stays open). Later retries are still answered by
    /// the database's unique index, at the price of one query.
    /// </summary>
    public TimeSpan DeduplicationWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a claim on a <c>message_id</c> (taken before storing it) outlives an instance that dies while storing:
    /// a minute, far above the time a store takes. Until it expires, retries are decided by the database.
    /// </summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Reads the settings; null without <c>REDIS_URL</c>.</summary>
    public static ClusterSettings? From(IConfiguration configuration, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RedisUrl is not { } redisUrl)
        {
            return null;
        }

        var timeout = configuration["CLUSTER_INSTANCE_TIMEOUT_MS"];
        if (string.IsNullOrWhiteSpace(timeout))
        {
            return new ClusterSettings { RedisUrl = redisUrl };
        }

        return int.TryParse(timeout, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 500
            ? new ClusterSettings { RedisUrl = redisUrl, InstanceTimeout = TimeSpan.FromMilliseconds(milliseconds) }
            : throw new InvalidOperationException($"CLUSTER_INSTANCE_TIMEOUT_MS must be an integer of at least 500, got '{timeout}'.");
    }
}
