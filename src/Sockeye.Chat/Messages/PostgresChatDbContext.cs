using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace Sockeye.Chat.Messages;

/// <summary>The chat database on PostgreSQL; its migrations are in <c>Messages/Migrations/Postgres</c>.</summary>
public sealed class PostgresChatDbContext(DbContextOptions<PostgresChatDbContext> options) : ChatDbContext(options)
{
    /// <summary>The first key of the service's advisory locks, so that they cannot meet another application's.</summary>
    public const int RoomLockClass = 0x53434854; // "SCHT"

    /// <inheritdoc/>
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <inheritdoc/>
    /// <remarks>
    /// A transaction-scoped advisory lock on the room's hash: writers of one room in several processes queue here
    /// rather than collide on the sequence and retry. Two rooms with the same hash merely take turns.
    /// </remarks>
    public override async Task LockRoomAsync(string room, CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RoomLockClass}, hashtext({room}))", cancellationToken).ConfigureAwait(false);
}

/// <summary>Creates the PostgreSQL context for <c>dotnet ef</c>, which needs no database to add a migration.</summary>
internal sealed class PostgresChatDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgresChatDbContext>
{
    public PostgresChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresChatDbContext>().UseNpgsql("Host=localhost;Database=sockeye_chat").Options);
}
