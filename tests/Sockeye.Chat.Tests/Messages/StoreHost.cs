using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Messages;

namespace Sockeye.Chat.Tests.Messages;

/// <summary>
/// The persistence services alone, registered exactly as the service registers them (<c>AddChatPersistence</c>), for
/// one database. Two hosts on one database behave like two processes: each has its own per-room locks.
/// </summary>
public sealed class StoreHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreHost(ServiceProvider services) => _services = services;

    public IMessageStore Store => _services.GetRequiredService<IMessageStore>();

    public IServiceProvider Services => _services;

    public static async Task<StoreHost> StartAsync(string databaseUrl, bool migrate = true, Action<IServiceCollection>? configure = null)
    {
        var collection = new ServiceCollection()
            .AddLogging()
            .AddChatPersistence(new ChatSettings { DatabaseUrl = databaseUrl });
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider();
        if (migrate)
        {
            await services.MigrateChatDatabaseAsync();
        }

        return new StoreHost(services);
    }

    public ChatDbContext CreateContext() => _services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContext();

    /// <summary>The rows stored for a user, read straight from the table.</summary>
    public async Task<int> CountAsync(string userId)
    {
        await using var context = CreateContext();
        return await context.Messages.CountAsync(m => m.UserId == userId);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
