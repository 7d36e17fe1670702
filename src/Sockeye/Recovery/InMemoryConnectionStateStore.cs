using System.Globalization;
using Microsoft.Extensions.Options;
using Sockeye.Adapters;

namespace Sockeye.Recovery;

/// <summary>
/// The store of one process: a bounded log of recent packets per namespace and a table of disconnected sessions,
/// both dropped after <see cref="ConnectionStateRecoveryOptions.MaxDisconnectionDuration"/>.
/// </summary>
/// <remarks>Offsets are <c>{process prefix}-{counter}</c>: the counter locates a packet in the log in O(1), and the
/// random prefix makes the offsets of a restarted process unknown to it, so its clients start fresh instead of
/// recovering from the wrong log.</remarks>
public sealed class InMemoryConnectionStateStore : IConnectionStateStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Log> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecoverySession> _sessions = new(StringComparer.Ordinal);
    private readonly ConnectionStateRecoveryOptions _options;
    private readonly TimeProvider _time;
    private DateTimeOffset _nextSweep;
    private readonly string _prefix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    /// <summary>Creates the store.</summary>
    public InMemoryConnectionStateStore(IOptions<SocketIOOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.ConnectionStateRecovery ?? new ConnectionStateRecoveryOptions();
        _time = time;
    }

    /// <inheritdoc/>
    public ValueTask<string> AppendAsync(string nsp, string eventName, IReadOnlyList<object?> args, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var log = LogLocked(nsp);
            var counter = log.Next++;
            var offset = string.Concat(_prefix, "-", counter.ToString(CultureInfo.InvariantCulture));
            log.Packets.Enqueue(new StoredPacket(offset, eventName, args, options.Rooms, options.Except, now));
            log.First ??= counter;
            TrimLocked(log, now);
            return ValueTask.FromResult(offset);
        }
    }

    /// <inheritdoc/>
    public ValueTask SaveSessionAsync(RecoverySession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_lock)
        {
            _sessions[session.Pid] = session;
            DropExpiredSessionsLocked(_time.GetUtcNow());
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<RestoreResult> RestoreAsync(string nsp, string pid, string offset)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_sessions.Remove(pid, out var session) || session.Namespace != nsp || now - session.DisconnectedAt > _options.MaxDisconnectionDuration)
            {
                return ValueTask.FromResult(RestoreResult.Failed(RecoveryFailure.UnknownSession));
            }

            var log = LogLocked(nsp);
            TrimLocked(log, now);
            return ValueTask.FromResult(TryLocate(log, offset, out _) ? RestoreResult.Restored(session) : RestoreResult.Failed(RecoveryFailure.OffsetNotKept));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredPacket>?> ReadAfterAsync(string nsp, string offset, IReadOnlyList<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        lock (_lock)
        {
            var log = LogLocked(nsp);
            if (!TryLocate(log, offset, out var index))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredPacket>?>(null);
            }

            var missed = new List<StoredPacket>();
            foreach (var packet in log.Packets.Skip(index + 1))
            {
                if (packet.IsFor(rooms))
                {
                    missed.Add(packet);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<StoredPacket>?>(missed);
        }
    }

    /// <inheritdoc/>
    public int? CompareOffsets(string offset, string other) =>
        TryParse(offset, out var a) && TryParse(other, out var b) ? a.CompareTo(b) : null;

    private bool TryParse(string offset, out long counter)
    {
        counter = 0;
        var dash = offset.LastIndexOf('-');
        return dash > 0 && offset.AsSpan(0, dash).SequenceEqual(_prefix)
            && long.TryParse(offset.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out counter);
    }

    private Log LogLocked(string nsp)
    {
        if (!_logs.TryGetValue(nsp, out var log))
        {
            log = new Log();
            _logs[nsp] = log;
        }

        return log;
    }

    private bool TryLocate(Log log, string offset, out int index)
    {
        index = -1;
        if (!TryParse(offset, out var counter) || log.First is not { } first || counter < first || counter >= log.Next)
        {
            return false;
        }

        index = (int)(counter - first);
        return true;
    }

    private void TrimLocked(Log log, DateTimeOffset now)
    {
        while (log.Packets.Count > 0
            && (log.Packets.Count > _options.MaxPackets || now - log.Packets.Peek().EmittedAt > _options.MaxDisconnectionDuration))
        {
            log.Packets.Dequeue();
            log.First++;
        }

        if (log.Packets.Count == 0)
        {
            log.First = null;
        }
    }

    private void DropExpiredSessionsLocked(DateTimeOffset now)
    {
        // A sweep is O(sessions); at most one a second keeps a mass disconnect from turning quadratic.
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + TimeSpan.FromSeconds(1);
        List<string>? expired = null;
        foreach (var (pid, session) in _sessions)
        {
            if (now - session.DisconnectedAt > _options.MaxDisconnectionDuration)
            {
                (expired ??= []).Add(pid);
            }
        }

        if (expired is not null)
        {
            foreach (var pid in expired)
            {
                _sessions.Remove(pid);
            }
        }
    }

    private sealed class Log
    {
        public Queue<StoredPacket> Packets { get; } = new();

        public long Next { get; set; }

        public long? First { get; set; }
    }
}
