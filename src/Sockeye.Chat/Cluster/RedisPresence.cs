using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Sockeye.Chat.Realtime;
using StackExchange.Redis;

namespace Sockeye.Chat.Cluster;

/// <summary>
/// Presence shared by every instance through Redis: a user connected to two instances is online once, joins with the
/// first connection anywhere and leaves with the last. Each instance also keeps its own share in
/// <see cref="PresenceTracker"/>, which is what it writes back whenever Redis may disagree with it.
/// </summary>
/// <remarks>
/// <para>
/// Every change is one script (<see cref="PresenceScripts"/>) that updates the room's count and this instance's share
/// together. An instance that dies without a goodbye (<c>kill -9</c>, a lost machine) stops renewing its heartbeat;
/// after <see cref="ClusterSettings.InstanceTimeout"/> the next heartbeat of a survivor removes its share and reports
/// the users who went offline, for <c>user_left</c>.
/// </para>
/// <para>
/// When Redis fails or loses its data, or this instance was taken for dead while it could not reach Redis, the share
/// in Redis is wrong or missing. A failed write marks it stale; a heartbeat that finds the share without its
/// <see cref="SyncedField"/> does too. The next heartbeat then writes the whole share again (<see cref="ResyncAsync"/>).
/// Meanwhile the answers fall back to this instance's own counts. Writes of this instance are serialized so that the
/// share sent by a resync is exactly what Redis holds once it ran.
/// </para>
/// </remarks>
internal sealed class RedisPresence : IRoomPresence, IDisposable
{
    /// <summary>The field of an instance hash that says its share was written in full.</summary>
    public const string SyncedField = "~synced";

    private readonly ClusterRedis _redis;
    private readonly PresenceTracker _local;
    private readonly ClusterSettings _settings;
    private readonly ILogger<RedisPresence> _logger;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly RedisKey _instances = ClusterSettings.KeyPrefix + "instances";
    private readonly RedisKey _share;
    private volatile bool _stale = true;

    public RedisPresence(ClusterRedis redis, PresenceTracker local, ClusterSettings settings, ILogger<RedisPresence> logger)
    {
        _redis = redis;
        _local = local;
        _settings = settings;
        _logger = logger;
        InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        _share = ClusterSettings.KeyPrefix + "instance:" + InstanceId;
    }

    /// <summary>This process in the <c>instances</c> set: host name, process id and a random part.</summary>
    public string InstanceId { get; }

    public async ValueTask<bool> JoinAsync(string room, string userId)
    {
        await _writes.WaitAsync().ConfigureAwait(false);
        try
        {
            var first = _local.Join(room, userId);
            var count = await TryCountAsync(PresenceScripts.Join, room, userId, [userId, Field(room, userId), InstanceId]).ConfigureAwait(false);
            return count is { } n ? n == 1 : first;
        }
        finally
        {
            _writes.Release();
        }
    }

    public async ValueTask<bool> LeaveAsync(string room, string userId)
    {
        await _writes.WaitAsync().ConfigureAwait(false);
        try
        {
            var last = _local.Leave(room, userId);
            var count = await TryCountAsync(PresenceScripts.Leave, room, userId, [userId, Field(room, userId)]).ConfigureAwait(false);
            return count is { } n ? n == 0 : last;
        }
        finally
        {
            _writes.Release();
        }
    }

    public async ValueTask<IReadOnlyList<string>> OnlineAsync(string room)
    {
        if (_redis.Database is { } database)
        {
            try
            {
                var users = await database.HashKeysAsync(RoomKey(room)).ConfigureAwait(false);
                return [.. users.Select(u => (string)u!).Order(StringComparer.Ordinal)];
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                ClusterLog.PresenceReadFailed(_logger, room, ex);
            }
        }

        return _local.Online(room);
    }

    /// <summary>
    /// Renews this instance's heartbeat and removes the share of instances that stopped renewing theirs; then writes
    /// this instance's share again if Redis may disagree with it. Throws when Redis cannot be reached.
    /// </summary>
    public async Task<PresenceChanges> HeartbeatAsync()
    {
        var database = _redis.Database ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not connected yet.");
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(
            PresenceScripts.Heartbeat,
            [_instances, _share],
            [ClusterSettings.KeyPrefix, InstanceId, (long)_settings.InstanceTimeout.TotalMilliseconds, SyncedField]).ConfigureAwait(false))!;
        var reaped = Users((RedisResult[])result[1]!);
        if (reaped.Count > 0)
        {
            ClusterLog.InstancesReaped(_logger, reaped.Count, _settings.InstanceTimeout);
        }

        if ((long)result[0] == 0)
        {
            _stale = true;
        }

        if (!_stale)
        {
            return new PresenceChanges([], reaped);
        }

        var resynced = await ResyncAsync(database).ConfigureAwait(false);
        return new PresenceChanges(resynced.Joined, [.. reaped, .. resynced.Left]);
    }

    public void Dispose() => _writes.Dispose();

    /// <summary>Writes this instance's whole share, as <see cref="PresenceTracker"/> counts it, and reports who changed.</summary>
    private async Task<PresenceChanges> ResyncAsync(IDatabase database)
    {
        await _writes.WaitAsync().ConfigureAwait(false);
        try
        {
            var share = _local.Snapshot();
            var values = new RedisValue[3 + (share.Count * 2)];
            values[0] = ClusterSettings.KeyPrefix;
            values[1] = InstanceId;
            values[2] = SyncedField;
            for (var i = 0; i < share.Count; i++)
            {
                values[3 + (2 * i)] = Field(share[i].Room, share[i].UserId);
                values[4 + (2 * i)] = share[i].Connections;
            }

            var result = (RedisResult[])(await database.ScriptEvaluateAsync(PresenceScripts.Resync, [_instances, _share], values).ConfigureAwait(false))!;
            _stale = false;
            var changes = new PresenceChanges(Users((RedisResult[])result[0]!), Users((RedisResult[])result[1]!));
            ClusterLog.Resynchronized(_logger, InstanceId, share.Count, changes.Joined.Count, changes.Left.Count);
            return changes;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Runs a join or leave script; null when Redis failed (the share is then stale).</summary>
    private async Task<long?> TryCountAsync(string script, string room, string userId, RedisValue[] values)
    {
        if (_redis.Database is not { } database)
        {
            _stale = true;
            return null;
        }

        try
        {
            return (long)await database.ScriptEvaluateAsync(script, [RoomKey(room), _share, _instances], values).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _stale = true;
            ClusterLog.PresenceWriteFailed(_logger, room, userId, ex);
            return null;
        }
    }

    private static string Field(string room, string userId) => room + " " + userId;

    private static RedisKey RoomKey(string room) => ClusterSettings.KeyPrefix + "presence:" + room;

    private static List<(string Room, string UserId)> Users(RedisResult[] fields) =>
        [.. fields.Select(f => (string)f!).Select(f => (f[..f.IndexOf(' ', StringComparison.Ordinal)], f[(f.IndexOf(' ', StringComparison.Ordinal) + 1)..]))];

    internal static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;
}

/// <summary>Users who came online or went offline in a room because of a heartbeat (not a connection of theirs).</summary>
internal sealed record PresenceChanges(IReadOnlyList<(string Room, string UserId)> Joined, IReadOnlyList<(string Room, string UserId)> Left);
