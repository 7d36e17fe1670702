namespace Sockeye.Redis.Internal.Recovery;

/// <summary>
/// The Lua scripts of the <see cref="RedisConnectionStateStore"/>. Each runs atomically; the clock is Redis's
/// (<c>TIME</c>), so servers need no synchronized clocks.
/// </summary>
internal static class RecoveryScripts
{
    /// <summary>
    /// KEYS: the stream. ARGV: max length, max age (ms), the entry, then optionally the channel, and the broadcast message
    /// before and after the offset (MessagePack). Appends the entry, trims the stream by count (approximately: whole
    /// nodes) and by age (exactly: with few entries, a node may hold both old and new ones), and — with a
    /// channel — publishes the message with the new entry id spliced in as a MessagePack string. Publishing inside the
    /// script is what orders messages on every subscriber exactly as the stream.
    /// </summary>
    public const string Append = """
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[3])
        local clock = redis.call('TIME')
        local oldest = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) - tonumber(ARGV[2])
        if oldest > 0 then
          redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f', oldest))
        end
        if ARGV[4] then
          local length = string.len(id)
          local header
          if length < 32 then header = string.char(160 + length) else header = string.char(217, length) end
          redis.call('PUBLISH', ARGV[4], ARGV[5] .. header .. id .. ARGV[6])
        end
        return id
        """;

    /// <summary>
    /// KEYS: the session, the stream. ARGV: the client's offset, or nothing when it is not a stream id. Takes the session
    /// (GET + DEL: a session is restored once) and says whether the offset is still in the stream. Returns
    /// <c>{0}</c> (no session), <c>{1, session}</c> (offset not kept) or <c>{2, session}</c>.
    /// </summary>
    public const string Restore = """
        local session = redis.call('GET', KEYS[1])
        if not session then return {0} end
        redis.call('DEL', KEYS[1])
        if not ARGV[1] then return {1, session} end
        if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then return {1, session} end
        return {2, session}
        """;
}
