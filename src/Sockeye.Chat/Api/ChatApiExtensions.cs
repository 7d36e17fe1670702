using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Api;

/// <summary>The REST API.</summary>
public static class ChatApiExtensions
{
    /// <summary>Adds OpenAPI and problem details.</summary>
    public static IServiceCollection AddChatApi(this IServiceCollection services, ChatSettings settings) => services;

    /// <summary>Maps the endpoints.</summary>
    public static WebApplication MapChatApi(this WebApplication app) => app;
}
