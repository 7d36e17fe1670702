using Microsoft.Data.Sqlite;

namespace Sockeye.Chat.Tests.Messages;

/// <summary>The store on SQLite: a new database file per test.</summary>
public sealed class SqliteMessageStoreTests : MessageStoreTests
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockeye-sqlite-");

    protected override string UnreachableDatabaseUrl => $"Data Source={Path.Combine(_folder.FullName, "missing", "folder", "chat.db")}";

    protected override string IndexNamesSql => "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'";

    protected override Task<string> DatabaseUrlAsync() => Task.FromResult($"Data Source={Path.Combine(_folder.FullName, "chat.db")}");

    // A plain path, the other form DATABASE_URL accepts for SQLite.
    protected override Task<string> EmptyDatabaseUrlAsync() => Task.FromResult(Path.Combine(_folder.FullName, $"empty-{Guid.NewGuid():N}.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
