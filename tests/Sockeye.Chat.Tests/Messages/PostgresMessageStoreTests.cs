using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sockeye.Chat.Messages;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Messages;

/// <summary>The store on a real PostgreSQL: one database for the class, another for each migration test.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class PostgresMessageStoreTests(PostgresServer server) : MessageStoreTests
{
    protected override string UnreachableDatabaseUrl => "Host=127.0.0.1;Port=1;Username=postgres;Database=nowhere;Timeout=2";

    protected override string IndexNamesSql => "SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'messages'";

    protected override Task<string> DatabaseUrlAsync() => server.DatabaseForAsync(GetType());

    protected override Task<string> EmptyDatabaseUrlAsync() => server.CreateDatabaseAsync(PostgresServer.DatabaseName("empty"));

    [Fact]
    public async Task A_postgres_url_is_converted_and_migrated()
    {
        var database = PostgresServer.DatabaseName("url");
        await server.CreateDatabaseAsync(database);

        await using var host = await StoreHost.StartAsync(server.Url(database));

        var saved = await host.Store.SaveAsync("alice", "chat", "over a URL", null, CancellationToken.None);
        Assert.Equal(1, saved.Record.Seq);
        Assert.True(await host.Store.IsReachableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_seq_taken_by_a_writer_that_skips_the_room_lock_is_retried_with_the_next_one()
    {
        var url = await DatabaseUrlAsync();
        var (room, user) = (NewRoom(), NewUser());
        var intruder = new IntruderInterceptor(url, room);
        await using var host = await StoreHost.StartAsync(url, configure: services =>
            services.ConfigureDbContext<PostgresChatDbContext>(o => o.AddInterceptors(intruder)));

        var saved = await host.Store.SaveAsync(user, room, "mine", Guid.NewGuid(), CancellationToken.None);

        Assert.Equal(1, intruder.Intrusions);
        Assert.Equal(2, saved.Record.Seq);
        var stored = await Store.GetAfterAsync(room, 0, 10, CancellationToken.None);
        Assert.Equal([(1L, "intruder"), (2L, "mine")], stored.Select(m => (m.Seq, m.Text)));
    }

    /// <summary>
    /// Just before the store's first insert, commits a row with the sequence the store computed, from another
    /// connection and without the advisory lock: what an older or foreign process could do.
    /// </summary>
    private sealed class IntruderInterceptor(string connectionString, string room) : DbCommandInterceptor
    {
        public int Intrusions { get; private set; }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (Intrusions == 0 && command.CommandText.Contains("INSERT INTO messages", StringComparison.Ordinal))
            {
                Intrusions++;
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO messages (room, seq, user_id, text, timestamp) SELECT @room, COALESCE(MAX(seq), 0) + 1, 'intruder', 'intruder', now() FROM messages WHERE room = @room",
                    connection);
                insert.Parameters.AddWithValue("room", room);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return result;
        }
    }
}
