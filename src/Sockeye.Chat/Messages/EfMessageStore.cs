using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Sockeye.Chat.Operations;

namespace Sockeye.Chat.Messages;

/// <summary>The message store on EF Core (SQLite or PostgreSQL).</summary>
/// <remarks>
/// <para>
/// A room's sequence is <c>max(seq) + 1</c> computed and inserted in one transaction. Writers of a room in this
/// process take turns on a per-room lock, so they never compute the same number. Writers in other processes queue on
/// the database's own lock where the provider has one (<see cref="ChatDbContext.LockRoomAsync"/>); should two still
/// compute the same number, the unique (room, seq) index refuses the second insert, which is retried with a fresh
/// maximum (at most <see cref="MaxAttempts"/> times). Either way the sequence has neither gaps nor duplicates.
/// </para>
/// <para>
/// De-duplication relies on the unique (user_id, message_id) index: a retry found before the insert is answered
/// with the stored row; one that races the original to the insert fails on the index and is answered the same way.
/// </para>
/// <para>
/// Each stored message is counted in <see cref="ChatMetrics.Persisted"/> with the time it took; answering a retry
/// stores nothing and is left for the caller to count.
/// </para>
/// <para>Pages hold at most <see cref="MaxPageSize"/> messages; a smaller or larger limit is clamped to 1..100.</para>
/// </remarks>
public sealed class EfMessageStore : IMessageStore
{
    /// <summary>The largest page <see cref="GetHistoryAsync"/> and <see cref="GetAfterAsync"/> return.</summary>
    public const int MaxPageSize = 100;

    /// <summary>How often an insert is tried when other processes keep taking the room's next sequence.</summary>
    public const int MaxAttempts = 10;

    private readonly IDbContextFactory<ChatDbContext> _contexts;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<EfMessageStore> _logger;
    private readonly RoomLocks _rooms = new();

    /// <summary>Creates the store.</summary>
    public EfMessageStore(IDbContextFactory<ChatDbContext> contexts, ChatMetrics metrics, TimeProvider time, ILogger<EfMessageStore> logger)
    {
        _contexts = contexts;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task<SaveResult> SaveAsync(string userId, string room, string text, Guid? messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentNullException.ThrowIfNull(text);
        var started = _time.GetTimestamp();

        // The common retry (after a reconnect) finds its original here without waiting for the room.
        if (messageId is { } id && await FindAsync(userId, id, cancellationToken).ConfigureAwait(false) is { } original)
        {
            return Duplicate(original);
        }

        using (await _rooms.AcquireAsync(room, cancellationToken).ConfigureAwait(false))
        {
            for (var attempt = 1; ; attempt++)
            {
                var message = new StoredMessage
                {
                    Room = room,
                    UserId = userId,
                    MessageId = messageId,
                    Text = text,
                    Timestamp = Now(),
                };

                var context = _contexts.CreateDbContext();
                await using (context.ConfigureAwait(false))
                {
                    try
                    {
                        var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                        await using (transaction.ConfigureAwait(false))
                        {
                            await context.LockRoomAsync(room, cancellationToken).ConfigureAwait(false);
                            var last = await context.Messages
                                .Where(m => m.Room == room)
                                .MaxAsync(m => (long?)m.Seq, cancellationToken)
                                .ConfigureAwait(false);
                            message.Seq = (last ?? 0) + 1;
                            context.Messages.Add(message);
                            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (DbUpdateException exception) when (context.IsUniqueViolation(exception))
                    {
                        if (messageId is { } duplicateId && await FindAsync(userId, duplicateId, cancellationToken).ConfigureAwait(false) is { } raced)
                        {
                            return Duplicate(raced);
                        }

                        if (attempt >= MaxAttempts)
                        {
                            throw;
                        }

                        MessagesLog.SeqConflict(_logger, room, message.Seq, attempt);

                        // A random pause, growing with the attempts, so that the colliding writers stop meeting.
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                _metrics.Persisted(_time.GetElapsedTime(started));
                return new SaveResult(message.ToRecord(), Duplicate: false);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChatMessageRecord>> GetHistoryAsync(string room, long? before, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        var context = _contexts.CreateDbContext();
        await using (context.ConfigureAwait(false))
        {
            var query = context.Messages.AsNoTracking().Where(m => m.Room == room);
            if (before is { } id)
            {
                query = query.Where(m => m.Id < id);
            }

            var page = await query
                .OrderByDescending(m => m.Id)
                .Take(Clamp(limit))
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            return [.. page.Select(m => m.ToRecord())];
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChatMessageRecord>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        var context = _contexts.CreateDbContext();
        await using (context.ConfigureAwait(false))
        {
            var page = await context.Messages.AsNoTracking()
                .Where(m => m.Room == room && m.Seq > afterSeq)
                .OrderBy(m => m.Seq)
                .Take(Clamp(limit))
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            return [.. page.Select(m => m.ToRecord())];
        }
    }

    /// <inheritdoc/>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        var context = _contexts.CreateDbContext();
        await using (context.ConfigureAwait(false))
        {
            try
            {
                return await context.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                MessagesLog.Unreachable(_logger, exception);
                return false;
            }
        }
    }

    private static int Clamp(int limit) => Math.Clamp(limit, 1, MaxPageSize);

    private async Task<StoredMessage?> FindAsync(string userId, Guid messageId, CancellationToken cancellationToken)
    {
        var context = _contexts.CreateDbContext();
        await using (context.ConfigureAwait(false))
        {
            return await context.Messages.AsNoTracking()
                .FirstOrDefaultAsync(m => m.UserId == userId && m.MessageId == messageId, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private SaveResult Duplicate(StoredMessage original)
    {
        MessagesLog.Duplicate(_logger, original.MessageId.GetValueOrDefault(), original.UserId, original.Id);
        return new SaveResult(original.ToRecord(), Duplicate: true);
    }

    private DateTimeOffset Now()
    {
        // PostgreSQL keeps microseconds: truncating here makes the acknowledged timestamp equal the one read back later.
        var ticks = _time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}
