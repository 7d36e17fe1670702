using Microsoft.Data.Sqlite;
using Npgsql;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Messages;

namespace Sockeye.Chat.Tests.Messages;

public sealed class DatabaseConnectionStringsTests
{
    [Fact]
    public void A_plain_sqlite_path_becomes_a_data_source()
    {
        var builder = new SqliteConnectionStringBuilder(DatabaseConnectionStrings.Sqlite("data/chat.db"));

        Assert.Equal("data/chat.db", builder.DataSource);
    }

    [Fact]
    public void A_sqlite_connection_string_is_kept_with_its_options()
    {
        var builder = new SqliteConnectionStringBuilder(DatabaseConnectionStrings.Sqlite("Data Source=/var/lib/chat.db;Cache=Shared"));

        Assert.Equal(("/var/lib/chat.db", SqliteCacheMode.Shared), (builder.DataSource, builder.Cache));
    }

    [Fact]
    public void A_postgres_url_becomes_an_npgsql_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            DatabaseConnectionStrings.Postgres("postgres://chat%40svc:p%40ss%3Aw0rd@db.internal:6543/chat_prod?sslmode=require&Pooling=false"));

        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("chat@svc", builder.Username);
        Assert.Equal("p@ss:w0rd", builder.Password);
        Assert.Equal("chat_prod", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.False(builder.Pooling);
    }

    [Fact]
    public void A_postgresql_url_without_port_or_password_uses_the_defaults()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseConnectionStrings.Postgres("postgresql://chat@localhost/chat"));

        Assert.Equal(("localhost", 5432, "chat", null, "chat"), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
    }

    [Fact]
    public void An_npgsql_connection_string_is_kept()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseConnectionStrings.Postgres("Host=db;Port=5433;Username=chat;Database=chat"));

        Assert.Equal(("db", 5433, "chat"), (builder.Host, builder.Port, builder.Database));
    }

    [Fact]
    public void An_unknown_url_parameter_fails_at_start_up()
    {
        Assert.ThrowsAny<ArgumentException>(() => DatabaseConnectionStrings.Postgres("postgres://u@h/db?no_such_option=1"));
    }

    [Theory]
    [InlineData("Data Source=chat.db", false)]
    [InlineData("/var/lib/chat.db", false)]
    [InlineData("Host=db;Database=chat", true)]
    [InlineData("postgres://u:p@db/chat", true)]
    [InlineData("postgresql://u:p@db/chat", true)]
    public void The_provider_follows_the_form_of_DATABASE_URL(string databaseUrl, bool postgres)
    {
        Assert.Equal(postgres, new ChatSettings { DatabaseUrl = databaseUrl }.UsesPostgres);
    }
}
