using Microsoft.EntityFrameworkCore;
using Sockeye.Chat.Messages;

namespace Sockeye.Chat.Tests.Messages;

/// <summary>
/// The store's contract, run against every provider (see <see cref="SqliteMessageStoreTests"/> and
/// <see cref="PostgresMessageStoreTests"/>). Tests of one class may share a database: each uses its own rooms and users.
/// </summary>
public abstract class MessageStoreTests : IAsyncLifetime
{
    private StoreHost? _host;

    protected StoreHost Host => _host ?? throw new InvalidOperationException("Not initialized.");

    protected IMessageStore Store => Host.Store;

    /// <summary>The database the tests of this class share.</summary>
    protected abstract Task<string> DatabaseUrlAsync();

    /// <summary>A new database with no table at all.</summary>
    protected abstract Task<string> EmptyDatabaseUrlAsync();

    /// <summary>A database that cannot be reached.</summary>
    protected abstract string UnreachableDatabaseUrl { get; }

    /// <summary>Lists the index names of the <c>messages</c> table as a column named <c>Value</c>.</summary>
    protected abstract string IndexNamesSql { get; }

    public virtual async Task InitializeAsync() => _host = await StoreHost.StartAsync(await DatabaseUrlAsync());

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    protected static string NewRoom() => $"room-{Guid.NewGuid():N}"[..20];

    protected static string NewUser() => $"user-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Save_returns_the_stored_row_with_server_id_timestamp_and_seq()
    {
        var (room, user, messageId) = (NewRoom(), NewUser(), Guid.NewGuid());
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var saved = await Store.SaveAsync(user, room, "hello", messageId, CancellationToken.None);

        Assert.False(saved.Duplicate);
        var record = saved.Record;
        Assert.True(record.Id > 0);
        Assert.Equal(1, record.Seq);
        Assert.Equal((messageId, user, room, "hello"), (record.MessageId!.Value, record.UserId, record.Room, record.Text));
        Assert.InRange(record.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(TimeSpan.Zero, record.Timestamp.Offset);

        // What was acknowledged is exactly what is read back, timestamp precision included.
        Assert.Equal(record, Assert.Single(await Store.GetHistoryAsync(room, null, 10, CancellationToken.None)));
    }

    [Fact]
    public async Task Seq_counts_1_to_N_without_gaps_under_50_concurrent_saves_to_one_room()
    {
        var room = NewRoom();

        var saved = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => Store.SaveAsync(NewUser(), room, $"message {i}", Guid.NewGuid(), CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), saved.Select(s => s.Record.Seq).Order());
        Assert.Equal(50, saved.Select(s => s.Record.Id).Distinct().Count());
        var stored = await Store.GetAfterAsync(room, 0, 100, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), stored.Select(m => m.Seq));
    }

    [Fact]
    public async Task Seq_is_counted_per_room()
    {
        var (first, second, user) = (NewRoom(), NewRoom(), NewUser());

        var seqs = new List<(string Room, long Seq)>();
        foreach (var room in new[] { first, second, first, second, first })
        {
            var saved = await Store.SaveAsync(user, room, "hi", null, CancellationToken.None);
            seqs.Add((room, saved.Record.Seq));
        }

        Assert.Equal([(first, 1), (second, 1), (first, 2), (second, 2), (first, 3)], seqs);
    }

    [Fact]
    public async Task Seq_has_no_gaps_when_two_processes_write_one_room()
    {
        var room = NewRoom();
        await using var other = await StoreHost.StartAsync(await DatabaseUrlAsync());

        var saved = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => (i % 2 == 0 ? Store : other.Store).SaveAsync(NewUser(), room, $"message {i}", null, CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), saved.Select(s => s.Record.Seq).Order());
    }

    [Fact]
    public async Task A_repeated_message_id_returns_the_original_and_stores_nothing()
    {
        var (room, user, messageId) = (NewRoom(), NewUser(), Guid.NewGuid());
        var original = await Store.SaveAsync(user, room, "first", messageId, CancellationToken.None);

        var retry = await Store.SaveAsync(user, room, "first, sent again", messageId, CancellationToken.None);

        Assert.True(retry.Duplicate);
        Assert.Equal(original.Record, retry.Record);
        Assert.Equal(1, await Host.CountAsync(user));

        // The retry took no place in the sequence either.
        Assert.Equal(2, (await Store.SaveAsync(user, room, "next", Guid.NewGuid(), CancellationToken.None)).Record.Seq);
    }

    [Fact]
    public async Task Concurrent_saves_of_one_message_id_store_it_once()
    {
        // Two rooms, so that some attempts do not wait on the same room lock and race to the unique index.
        var (first, second, user, messageId) = (NewRoom(), NewRoom(), NewUser(), Guid.NewGuid());

        var saved = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => Store.SaveAsync(user, i % 2 == 0 ? first : second, "once", messageId, CancellationToken.None))));

        var stored = Assert.Single(saved, s => !s.Duplicate);
        Assert.All(saved, s => Assert.Equal(stored.Record, s.Record));
        Assert.Equal(1, await Host.CountAsync(user));
    }

    [Fact]
    public async Task The_same_message_id_from_another_user_is_another_message()
    {
        var (room, messageId) = (NewRoom(), Guid.NewGuid());

        var alice = await Store.SaveAsync(NewUser(), room, "hi", messageId, CancellationToken.None);
        var bob = await Store.SaveAsync(NewUser(), room, "hi", messageId, CancellationToken.None);

        Assert.False(bob.Duplicate);
        Assert.NotEqual(alice.Record.Id, bob.Record.Id);
        Assert.Equal(2, bob.Record.Seq);
    }

    [Fact]
    public async Task Messages_without_a_message_id_are_never_duplicates()
    {
        var (room, user) = (NewRoom(), NewUser());

        await Store.SaveAsync(user, room, "same", null, CancellationToken.None);
        var second = await Store.SaveAsync(user, room, "same", null, CancellationToken.None);

        Assert.False(second.Duplicate);
        Assert.Equal(2, await Host.CountAsync(user));
    }

    [Fact]
    public async Task History_pages_newest_first_with_before_as_an_exclusive_message_id()
    {
        var room = NewRoom();
        var all = new List<ChatMessageRecord>();
        for (var i = 0; i < 7; i++)
        {
            all.Add((await Store.SaveAsync(NewUser(), room, $"m{i}", null, CancellationToken.None)).Record);
        }

        await Store.SaveAsync(NewUser(), NewRoom(), "elsewhere", null, CancellationToken.None);

        var pages = new List<IReadOnlyList<ChatMessageRecord>>();
        long? before = null;
        do
        {
            var page = await Store.GetHistoryAsync(room, before, 3, CancellationToken.None);
            pages.Add(page);
            before = page.Count > 0 ? page[^1].Id : null;
        }
        while (before is not null);

        Assert.Equal([3, 3, 1, 0], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Reverse(all), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task History_limit_is_clamped_to_1_through_100()
    {
        var room = NewRoom();
        await Task.WhenAll(Enumerable.Range(0, 101).Select(i =>
            Task.Run(() => Store.SaveAsync(NewUser(), room, $"m{i}", null, CancellationToken.None))));

        Assert.Single(await Store.GetHistoryAsync(room, null, 0, CancellationToken.None));
        Assert.Single(await Store.GetHistoryAsync(room, null, -5, CancellationToken.None));
        Assert.Equal(100, (await Store.GetHistoryAsync(room, null, 1000, CancellationToken.None)).Count);
        Assert.Equal(100, (await Store.GetAfterAsync(room, 0, 1000, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task GetAfter_returns_the_messages_after_a_seq_oldest_first()
    {
        var room = NewRoom();
        for (var i = 1; i <= 5; i++)
        {
            await Store.SaveAsync(NewUser(), room, $"m{i}", null, CancellationToken.None);
        }

        Assert.Equal([3L, 4L, 5L], (await Store.GetAfterAsync(room, 2, 10, CancellationToken.None)).Select(m => m.Seq));
        Assert.Equal(["m3", "m4"], (await Store.GetAfterAsync(room, 2, 2, CancellationToken.None)).Select(m => m.Text));
        Assert.Empty(await Store.GetAfterAsync(room, 5, 10, CancellationToken.None));
        Assert.Empty(await Store.GetAfterAsync(NewRoom(), 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Migrations_create_the_schema_on_an_empty_database()
    {
        await using var empty = await StoreHost.StartAsync(await EmptyDatabaseUrlAsync(), migrate: false);
        await using (var context = empty.CreateContext())
        {
            Assert.NotEmpty(await context.Database.GetPendingMigrationsAsync());
        }

        await empty.Services.MigrateChatDatabaseAsync();
        await empty.Services.MigrateChatDatabaseAsync();

        await using (var context = empty.CreateContext())
        {
            Assert.Empty(await context.Database.GetPendingMigrationsAsync());
            Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
            var indexes = await context.Database.SqlQueryRaw<string>(IndexNamesSql).ToListAsync();
            Assert.Subset(indexes.ToHashSet(), new HashSet<string> { "ix_messages_user_id_message_id", "ix_messages_room_seq", "ix_messages_room_id" });
        }

        var saved = await empty.Store.SaveAsync("alice", "chat", "first message", Guid.NewGuid(), CancellationToken.None);
        Assert.Equal((1L, 1L), (saved.Record.Id, saved.Record.Seq));
    }

    [Fact]
    public async Task A_reachable_database_is_reported_reachable()
    {
        Assert.True(await Store.IsReachableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_database_is_reported_unreachable()
    {
        await using var host = await StoreHost.StartAsync(UnreachableDatabaseUrl, migrate: false);

        Assert.False(await host.Store.IsReachableAsync(CancellationToken.None));
    }
}
