using System.Text.Json;
using Sockeye.Chat.Messages;
using StackExchange.Redis;

namespace Sockeye.Chat.Cluster;

/// <summary>
/// De-duplication of client retries across instances, in front of the database: the first instance to see a
/// (user, <c>message_id</c>) claims it in Redis (<c>SET NX PX</c>), stores the message, and leaves the stored record
/// under the same key for <see cref="ClusterSettings.DeduplicationWindow"/>. A retry that lands on any instance finds
/// the record there and is answered with it: nothing is stored or broadcast again.
/// </summary>
/// <remarks>
/// <para>
/// The database's unique (user_id, message_id) index stays the final guard, and decides whenever Redis cannot: while a
/// claim is held by an instance still storing (or one that died doing so, until <see cref="ClusterSettings.ClaimTimeout"/>),
/// after the window, and while Redis is unreachable. Of two instances storing the same message, the index lets one
/// insert and answers the other with that row, marked as a duplicate, so exactly one broadcasts it.
/// </para>
/// <para>Key <c>sockeye-chat:dedup:{message_id}:{user_id}</c>; value the record as JSON (a few hundred bytes, at
/// most about 20 KB for a 4,000-character text), or <see cref="Claimed"/> while it is being stored.</para>
/// </remarks>
internal sealed class RedisDeduplicatingMessageStore(IMessageStore inner, ClusterRedis redis, ClusterSettings settings, ILogger<RedisDeduplicatingMessageStore> logger) : IMessageStore
{
    /// <summary>The value of a key claimed by an instance that is storing the message.</summary>
    public const string Claimed = "claimed";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<SaveResult> SaveAsync(string userId, string room, string text, Guid? messageId, CancellationToken cancellationToken)
    {
        if (messageId is not { } id || redis.Database is not { } database)
        {
            return await inner.SaveAsync(userId, room, text, messageId, cancellationToken).ConfigureAwait(false);
        }

        var key = Key(id, userId);
        try
        {
            if (!await database.StringSetAsync(key, Claimed, settings.ClaimTimeout, When.NotExists).ConfigureAwait(false)
                && await database.StringGetAsync(key).ConfigureAwait(false) is { HasValue: true } value
                && value != Claimed)
            {
                var original = JsonSerializer.Deserialize<ChatMessageRecord>((string)value!, s_json)!;
                ClusterLog.DuplicateFromRedis(logger, id, userId, original.Id);
                return new SaveResult(original, Duplicate: true);
            }
        }
        catch (Exception ex) when (RedisPresence.IsRedisFailure(ex))
        {
            ClusterLog.DeduplicationFallback(logger, id, ex);
            return await inner.SaveAsync(userId, room, text, messageId, cancellationToken).ConfigureAwait(false);
        }

        // Claimed here, or by an instance that is still storing it: the database decides which of them stores it.
        var saved = await inner.SaveAsync(userId, room, text, messageId, cancellationToken).ConfigureAwait(false);
        try
        {
            await database.StringSetAsync(key, JsonSerializer.Serialize(saved.Record, s_json), settings.DeduplicationWindow).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisPresence.IsRedisFailure(ex))
        {
            // The claim expires by itself; until then, retries are answered by the database.
            ClusterLog.DeduplicationFallback(logger, id, ex);
        }

        return saved;
    }

    public Task<IReadOnlyList<ChatMessageRecord>> GetHistoryAsync(string room, long? before, int limit, CancellationToken cancellationToken) =>
        inner.GetHistoryAsync(room, before, limit, cancellationToken);

    public Task<IReadOnlyList<ChatMessageRecord>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken) =>
        inner.GetAfterAsync(room, afterSeq, limit, cancellationToken);

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => inner.IsReachableAsync(cancellationToken);

    private static RedisKey Key(Guid messageId, string userId) => $"{ClusterSettings.KeyPrefix}dedup:{messageId:D}:{userId}";
}
