using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye.Adapters;
using Sockeye.Protocol.SocketIO;
using Sockeye.Recovery;
using Sockeye.Redis.Diagnostics;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Recovery;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

/// <summary>
/// Connection state recovery for a cluster: recoverable packets in a Redis stream per namespace (the entry id is the
/// offset), sessions in keys that expire. A client recovers on any server, also after the one it was on was killed or
/// restarted. Added by <c>AddRedisConnectionStateStore</c>, on the Redis adapter's connection.
/// </summary>
/// <remarks>
/// <para>Bounds: a stream keeps about <c>MaxPackets</c> entries (<c>XADD MAXLEN ~</c>: Redis trims whole nodes of 100
/// entries, so a few more may stay) and none older than <c>MaxDisconnectionDuration</c> (<c>XTRIM MINID</c> at each
/// append). A session key lives <c>MaxDisconnectionDuration</c> after a disconnect. Memory: an entry costs its
/// MessagePack arguments plus about 100 bytes in Redis.</para>
/// <para>Session data values are stored as JSON and come back as <see cref="JsonElement"/>.</para>
/// <para>With the classic <see cref="RedisAdapter"/>, a recoverable packet is appended and published by one script and
/// every server, the emitting one included, delivers it when it arrives through its subscription: all servers deliver in
/// stream order, so a client's last offset says exactly what it has received.</para>
/// </remarks>
public sealed partial class RedisConnectionStateStore : IDurableConnectionStateStore, IAsyncDisposable
{
    private const int PageSize = 200;
    private readonly RedisBackplane _backplane;
    private readonly ConnectionStateRecoveryOptions _recovery;
    private readonly RedisConnectionStateStoreOptions _options;
    private readonly JsonSerializerOptions _wireJson;
    private readonly JsonSerializerOptions _dataJson;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Task, byte> _saving = new();

    internal RedisConnectionStateStore(
        RedisBackplane backplane,
        IOptions<SocketIOOptions> socketOptions,
        IOptions<RedisConnectionStateStoreOptions> options,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _backplane = backplane;
        _recovery = socketOptions.Value.ConnectionStateRecovery ?? new ConnectionStateRecoveryOptions();
        _options = options.Value;
        _dataJson = socketOptions.Value.JsonSerializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        _wireJson = SocketJson.CreateOptions(_dataJson);
        _time = time;
        _logger = loggerFactory.CreateLogger("Sockeye.Redis.Recovery");
    }

    /// <inheritdoc/>
    public TimeSpan SnapshotInterval => _options.SnapshotInterval;

    /// <inheritdoc/>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is not reachable.</exception>
    public async ValueTask<string> AppendAsync(string nsp, string eventName, IReadOnlyList<object?> args, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = StreamEntries.Encode(eventName, WireValues.FromObjects(args, _wireJson), options.Rooms, options.Except);
        return await RunAsync("recovery append", db => db.ScriptEvaluateAsync(RecoveryScripts.Append, [StreamKey(nsp)], AppendArguments(entry)), r => (string)r!).ConfigureAwait(false);
    }

    /// <summary>Appends an entry and publishes the adapter's message with the entry id spliced in, in one script.</summary>
    internal Task<string> AppendAndPublishAsync(string nsp, byte[] entry, RedisChannel channel, byte[] before, byte[] after) =>
        RunAsync(
            "broadcast",
            db => db.ScriptEvaluateAsync(RecoveryScripts.Append, [StreamKey(nsp)], [.. AppendArguments(entry), channel.ToString(), before, after]),
            r => (string)r!);

    /// <inheritdoc/>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is not reachable.</exception>
    public ValueTask SaveSessionAsync(RecoverySession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var json = SessionJson.Encode(session, withTime: true, _dataJson);
        var saving = RunAsync("recovery session", db => db.StringSetAsync(SessionKey(session.Pid), json, _recovery.MaxDisconnectionDuration), r => r);
        _saving.TryAdd(saving, 0);
        _ = saving.ContinueWith(t => _saving.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new ValueTask(saving);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is not reachable.</exception>
    public async ValueTask<RestoreResult> RestoreAsync(string nsp, string pid, string offset)
    {
        RedisValue[] arguments = StreamEntries.IsStreamId(offset) ? [offset] : [];
        var result = await RunAsync(
            "recovery restore",
            db => db.ScriptEvaluateAsync(RecoveryScripts.Restore, [SessionKey(pid), StreamKey(nsp)], arguments),
            r => (RedisResult[])r!).ConfigureAwait(false);
        if ((int)result[0] == 0)
        {
            return RestoreResult.Failed(RecoveryFailure.UnknownSession);
        }

        RecoverySession session;
        try
        {
            session = SessionJson.Decode(pid, (byte[])result[1]!, _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            RedisLog.MalformedSession(_logger, ex);
            return RestoreResult.Failed(RecoveryFailure.UnknownSession);
        }

        if (session.Namespace != nsp)
        {
            return RestoreResult.Failed(RecoveryFailure.UnknownSession);
        }

        return (int)result[0] == 2 ? RestoreResult.Restored(session) : RestoreResult.Failed(RecoveryFailure.OffsetNotKept);
    }

    /// <inheritdoc/>
    /// <remarks>Reads the stream in pages of 200 entries (<c>XRANGE</c>), at most <c>MaxPackets</c> entries and a few
    /// pages more, keeping those meant for the rooms.</remarks>
    /// <exception cref="RedisBackplaneUnavailableException">Redis is not reachable.</exception>
    public async ValueTask<IReadOnlyList<StoredPacket>?> ReadAfterAsync(string nsp, string offset, IReadOnlyList<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        if (!StreamEntries.IsStreamId(offset))
        {
            return null;
        }

        var key = StreamKey(nsp);
        var missed = new List<StoredPacket>();

        // The first page starts at the offset itself: it must still be there, or what came after it may be incomplete.
        RedisValue from = offset;
        var first = true;
        for (var pages = 0; pages <= (_recovery.MaxPackets / PageSize) + 5; pages++)
        {
            var start = from;
            var entries = await RunAsync("recovery read", db => db.StreamRangeAsync(key, start, "+", PageSize), r => r).ConfigureAwait(false);
            var fetched = entries.Length;
            if (first)
            {
                if (entries.Length == 0 || entries[0].Id != offset)
                {
                    return null;
                }

                first = false;
                entries = entries[1..];
            }

            foreach (var entry in entries)
            {
                if (StreamEntries.Decode(entry) is { } packet && packet.IsFor(rooms))
                {
                    missed.Add(packet);
                }
            }

            if (fetched < PageSize)
            {
                return missed;
            }

            from = "(" + entries[^1].Id.ToString();
        }

        return missed;
    }

    /// <inheritdoc/>
    /// <remarks>Stream ids, <c>ms-seq</c>, ordered by both numbers.</remarks>
    public int? CompareOffsets(string offset, string other) =>
        StreamEntries.TryParseId(offset, out var a) && StreamEntries.TryParseId(other, out var b) ? a.CompareTo(b) : null;

    /// <summary>Waits (briefly) for sessions still being saved, such as those of sockets closed by a shutdown.</summary>
    public async ValueTask DisposeAsync()
    {
        var pending = _saving.Keys.ToArray();
        if (pending.Length > 0)
        {
            try
            {
                await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or RedisBackplaneUnavailableException)
            {
                // Their clients start afresh (or recover from the last snapshot).
            }
        }
    }

    private RedisKey StreamKey(string nsp) => _options.StreamKeyPrefix + nsp;

    private RedisKey SessionKey(string pid) => _options.SessionKeyPrefix + pid;

    private RedisValue[] AppendArguments(byte[] entry) =>
        [_recovery.MaxPackets, (long)_recovery.MaxDisconnectionDuration.TotalMilliseconds, entry];

    /// <summary>Runs a command, failing fast with <see cref="RedisBackplaneUnavailableException"/> while Redis is down.</summary>
    private async Task<T> RunAsync<TResult, T>(string operation, Func<IDatabase, Task<TResult>> command, Func<TResult, T> read)
    {
        try
        {
            var multiplexer = await _backplane.ConnectAsync().ConfigureAwait(false);
            if (!_backplane.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected.");
            }

            return read(await command(multiplexer.GetDatabase()).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
            throw new RedisBackplaneUnavailableException(operation, ex);
        }
    }
}
