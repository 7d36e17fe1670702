using System.Net;
using Npgsql;
using Sockeye.Chat.Tests.Api;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Operations;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class PostgresReadinessTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_service_on_a_postgres_url_migrates_at_start_and_is_not_ready_once_the_database_is_gone()
    {
        var database = PostgresServer.DatabaseName("readiness");
        var connectionString = await postgres.CreateDatabaseAsync(database);
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = postgres.Url(database) });
        var saved = await server.Store.SaveAsync("alice", "chat", "stored in PostgreSQL", null, CancellationToken.None);
        Assert.Equal(1, saved.Record.Seq);
        using (var ready = await server.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        using var gone = await server.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
        Assert.Equal("Unhealthy", (await gone.JsonAsync()).GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }
}
