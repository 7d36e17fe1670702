using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Operations;

namespace Sockeye.Chat.Messages;

/// <summary>Registers persistence.</summary>
public static class MessagesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the EF Core store for the configured database: PostgreSQL when <see cref="ChatSettings.UsesPostgres"/>,
    /// SQLite otherwise. <see cref="IMessageStore"/> and <see cref="TimeProvider"/> are added only when missing, so a
    /// test or another backend can replace them.
    /// </summary>
    public static IServiceCollection AddChatPersistence(this IServiceCollection services, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.UsesPostgres)
        {
            var connectionString = DatabaseConnectionStrings.Postgres(settings.DatabaseUrl);
            services.AddDbContextFactory<PostgresChatDbContext>(o => o.UseNpgsql(connectionString));
            services.TryAddSingleton<IDbContextFactory<ChatDbContext>, ChatDbContextFactory<PostgresChatDbContext>>();
        }
        else
        {
            var connectionString = DatabaseConnectionStrings.Sqlite(settings.DatabaseUrl);
            services.AddDbContextFactory<SqliteChatDbContext>(o => o.UseSqlite(connectionString));
            services.TryAddSingleton<IDbContextFactory<ChatDbContext>, ChatDbContextFactory<SqliteChatDbContext>>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChatMetrics>();
        services.TryAddSingleton<IMessageStore, EfMessageStore>();
        return services;
    }

    /// <summary>Applies the migrations of the configured provider (creating the SQLite file and its folder if needed).</summary>
    public static async Task MigrateChatDatabaseAsync(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var contexts = services.GetRequiredService<IDbContextFactory<ChatDbContext>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MessagesServiceCollectionExtensions));
        var context = await contexts.CreateDbContextAsync().ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            if (context.Database.IsSqlite())
            {
                var file = new SqliteConnectionStringBuilder(context.Database.GetConnectionString()).DataSource;
                if (Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder && !file.StartsWith(':'))
                {
                    Directory.CreateDirectory(folder);
                }
            }

            MessagesLog.Migrating(logger, context.Database.ProviderName ?? "unknown");
            await context.Database.MigrateAsync().ConfigureAwait(false);
            await context.PrepareAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Hands out the provider's context as the common <see cref="ChatDbContext"/>.</summary>
    private sealed class ChatDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<ChatDbContext>
        where TContext : ChatDbContext
    {
        public ChatDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
