using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sockeye.Chat.Messages;

/// <summary>Turns <c>DATABASE_URL</c> into a connection string for its provider.</summary>
public static class DatabaseConnectionStrings
{
    /// <summary>
    /// A SQLite connection string from either a connection string (<c>Data Source=chat.db</c>) or a plain path.
    /// </summary>
    public static string Sqlite(string databaseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseUrl);
        var builder = databaseUrl.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(databaseUrl)
            : new SqliteConnectionStringBuilder { DataSource = databaseUrl };
        return builder.ToString();
    }

    /// <summary>
    /// An Npgsql connection string from either an Npgsql connection string (<c>Host=...</c>) or a URL
    /// (<c>postgres://user:password@host:port/database?sslmode=require</c>, as hosting platforms hand it out).
    /// </summary>
    /// <remarks>
    /// User name and password are percent-decoded; query parameters are passed on as connection string keywords
    /// (<c>sslmode</c> → <c>SSL Mode</c>, ...), and an unknown one fails here rather than at the first query.
    /// </remarks>
    public static string Postgres(string databaseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseUrl);
        if (!databaseUrl.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !databaseUrl.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(databaseUrl).ConnectionString;
        }

        var uri = new Uri(databaseUrl);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            builder[key] = value;
        }

        return builder.ConnectionString;
    }
}
