namespace Sockeye.Chat.Cluster;

/// <summary>
/// The Lua scripts of <see cref="RedisPresence"/>. Each runs atomically in Redis, so two instances never interleave
/// inside one change, and the clock is Redis's (<c>TIME</c>), so that instances need no synchronized clocks.
/// </summary>
/// <remarks>
/// Keys (prefix <see cref="ClusterSettings.KeyPrefix"/>): <c>presence:{room}</c>, a hash user → connections in the
/// whole cluster; <c>instance:{id}</c>, a hash <c>"{room} {user}"</c> → connections of that instance (room names have
/// no spaces), plus the field <see cref="RedisPresence.SyncedField"/> once the instance wrote its full share;
/// <c>instances</c>, a sorted set of instance ids by last heartbeat (ms). Scripts that clean up after another instance
/// build its key names themselves, so the keys must live on one Redis (not a Redis Cluster).
/// </remarks>
internal static class PresenceScripts
{
    private const string Now = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        """;

    private const string Split = """
        local function split(field)
          local space = string.find(field, ' ', 1, true)
          return string.sub(field, 1, space - 1), string.sub(field, space + 1)
        end
        """;

    /// <summary>
    /// KEYS: room hash, instance hash, instances. ARGV: user, field, instance id. Returns the user's connections in the room across
    /// the cluster (1: the first). The instance is registered if it is not yet, so that one dying before its first
    /// heartbeat is still cleaned up.
    /// </summary>
    public const string Join = Now + """

        redis.call('ZADD', KEYS[3], 'NX', now, ARGV[3])
        redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
        return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        """;

    /// <summary>
    /// KEYS: room hash, instance hash. ARGV: user, field. Returns the user's connections left in the room across the
    /// cluster (0: it was the last). A connection Redis does not know of (its share was removed when the instance was
    /// taken for dead, or Redis lost its data) takes nothing back; the count is returned as it is.
    /// </summary>
    public const string Leave = """
        local own = redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
        if own <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
        if own < 0 then return tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') end
        local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
        if n <= 0 then
          redis.call('HDEL', KEYS[1], ARGV[1])
          return 0
        end
        return n
        """;

    /// <summary>
    /// KEYS: instances, own instance hash. ARGV: key prefix, instance id, timeout (ms), synced field. Renews this
    /// instance's heartbeat, and removes every instance silent for longer than the timeout with its share of presence.
    /// Returns { synced (1/0), fields of users who are now offline }.
    /// </summary>
    public const string Heartbeat = Now + Split + """

        redis.call('ZADD', KEYS[1], now, ARGV[2])
        local synced = redis.call('HEXISTS', KEYS[2], ARGV[4])
        local left = {}
        for _, instance in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))) do
          if instance ~= ARGV[2] then
            redis.call('ZREM', KEYS[1], instance)
            local key = ARGV[1] .. 'instance:' .. instance
            local entries = redis.call('HGETALL', key)
            for i = 1, #entries, 2 do
              if entries[i] ~= ARGV[4] then
                local room, user = split(entries[i])
                local count = tonumber(entries[i + 1])
                local rooms = ARGV[1] .. 'presence:' .. room
                local n = redis.call('HINCRBY', rooms, user, -count)
                if n <= 0 then
                  redis.call('HDEL', rooms, user)
                  if n + count > 0 then table.insert(left, entries[i]) end
                end
              end
            end
            redis.call('DEL', key)
          end
        end
        return { synced, left }
        """;

    /// <summary>
    /// KEYS: instances, own instance hash. ARGV: key prefix, instance id, synced field, then field/count pairs: the
    /// instance's whole share as it counts it. Makes Redis agree (adding the difference to each room) and marks the
    /// share synced. Returns { fields now online, fields now offline }.
    /// </summary>
    public const string Resync = Now + Split + """

        local old = {}
        local entries = redis.call('HGETALL', KEYS[2])
        for i = 1, #entries, 2 do
          if entries[i] ~= ARGV[3] then old[entries[i]] = tonumber(entries[i + 1]) end
        end
        local wanted = {}
        for i = 4, #ARGV, 2 do wanted[ARGV[i]] = tonumber(ARGV[i + 1]) end
        for field in pairs(old) do
          if wanted[field] == nil then wanted[field] = 0 end
        end
        redis.call('DEL', KEYS[2])
        local joined, left = {}, {}
        for field, count in pairs(wanted) do
          local delta = count - (old[field] or 0)
          if delta ~= 0 then
            local room, user = split(field)
            local rooms = ARGV[1] .. 'presence:' .. room
            local n = redis.call('HINCRBY', rooms, user, delta)
            if n <= 0 then redis.call('HDEL', rooms, user) end
            if n > 0 and n - delta <= 0 then table.insert(joined, field) end
            if n <= 0 and n - delta > 0 then table.insert(left, field) end
          end
          if count > 0 then redis.call('HSET', KEYS[2], field, count) end
        end
        redis.call('HSET', KEYS[2], ARGV[3], now)
        redis.call('ZADD', KEYS[1], now, ARGV[2])
        return { joined, left }
        """;
}
