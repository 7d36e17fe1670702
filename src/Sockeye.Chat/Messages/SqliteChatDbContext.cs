using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Sockeye.Chat.Messages;

/// <summary>The chat database on SQLite; its migrations are in <c>Messages/Migrations/Sqlite</c>.</summary>
public sealed class SqliteChatDbContext(DbContextOptions<SqliteChatDbContext> options) : ChatDbContext(options)
{
    private const int SqliteConstraintUnique = 2067;

    /// <inheritdoc/>
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique };

    /// <inheritdoc/>
    /// <remarks>Nothing to do: a SQLite transaction begins with <c>BEGIN IMMEDIATE</c>, which admits one writer per database.</remarks>
    public override Task LockRoomAsync(string room, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        // Write-ahead logging lets history reads run while a message is being written; the mode is kept in the file.
        await Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // SQLite has no date type and cannot compare EF's text form of DateTimeOffset: store UTC ticks instead.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

/// <summary>Creates the SQLite context for <c>dotnet ef</c>, which needs no database to add a migration.</summary>
internal sealed class SqliteChatDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SqliteChatDbContext>
{
    public SqliteChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteChatDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
