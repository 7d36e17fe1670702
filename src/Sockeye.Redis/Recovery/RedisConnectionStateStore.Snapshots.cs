using System.IO.Hashing;
using Sockeye.Recovery;
using Sockeye.Redis.Diagnostics;
using Sockeye.Redis.Internal.Recovery;
using StackExchange.Redis;

namespace Sockeye.Redis;

public sealed partial class RedisConnectionStateStore
{
    // What was last written per pid: only the snapshot loop touches it, one tick at a time.
    private readonly Dictionary<string, (ulong Hash, DateTimeOffset WrittenAt)> _written = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    /// <remarks>
    /// A snapshot key expires <c>MaxDisconnectionDuration</c> + a quarter of it + two intervals after it was last
    /// written or refreshed, so a client of a server that died keeps at least <c>MaxDisconnectionDuration</c> to
    /// recover. Changed sessions are written (<c>SET PX</c>), unchanged ones refreshed (<c>PEXPIRE</c>) every quarter of
    /// <c>MaxDisconnectionDuration</c>, in one pipeline.
    /// </remarks>
    public async ValueTask SaveConnectedAsync(IReadOnlyList<RecoverySession> sessions, bool complete, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var now = _time.GetUtcNow();
        var refresh = _recovery.MaxDisconnectionDuration / 4;
        var ttl = _recovery.MaxDisconnectionDuration + refresh + (2 * _options.SnapshotInterval);
        var writes = new List<(RedisKey Key, byte[]? Json)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in sessions)
        {
            seen.Add(session.Pid);
            byte[] json;
            try
            {
                json = SessionJson.Encode(session, withTime: false, _dataJson);
            }
            catch (Exception ex) when (ex is NotSupportedException or System.Text.Json.JsonException or InvalidOperationException)
            {
                // Data that cannot be serialized: this socket cannot recover elsewhere, the others can.
                RedisLog.SessionNotSerializable(_logger, session.Sid, ex);
                continue;
            }

            var hash = XxHash64.HashToUInt64(json);
            if (!_written.TryGetValue(session.Pid, out var last) || last.Hash != hash)
            {
                writes.Add((SessionKey(session.Pid), json));
            }
            else if (now - last.WrittenAt >= refresh)
            {
                writes.Add((SessionKey(session.Pid), null));
            }
            else
            {
                continue;
            }

            _written[session.Pid] = (hash, now);
        }

        if (complete)
        {
            foreach (var pid in _written.Keys.Where(p => !seen.Contains(p)).ToList())
            {
                _written.Remove(pid);
            }
        }

        if (writes.Count == 0)
        {
            return;
        }

        try
        {
            await RunAsync("recovery snapshot", db => WriteAsync(db, writes, ttl), r => r).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisBackplaneUnavailableException ex)
        {
            // Written again in full at the next tick.
            _written.Clear();
            RedisLog.SnapshotNotWritten(_logger, ex);
        }
    }

    private static async Task<bool> WriteAsync(IDatabase db, List<(RedisKey Key, byte[]? Json)> writes, TimeSpan ttl)
    {
        var batch = db.CreateBatch();
        var pending = new List<Task>(writes.Count);
        foreach (var (key, json) in writes)
        {
            pending.Add(json is null ? batch.KeyExpireAsync(key, ttl) : batch.StringSetAsync(key, json, ttl));
        }

        batch.Execute();
        await Task.WhenAll(pending).ConfigureAwait(false);
        return true;
    }
}
