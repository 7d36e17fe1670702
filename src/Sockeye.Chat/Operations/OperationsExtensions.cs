using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Operations;

/// <summary>Logging, health, metrics and drain.</summary>
public static class OperationsExtensions
{
    /// <summary>Adds logging, health checks, metrics and the drain state.</summary>
    public static WebApplicationBuilder AddChatOperations(this WebApplicationBuilder builder, ChatSettings settings)
    {
        builder.Services.AddSingleton<DrainState>();
        builder.Services.AddSingleton<ChatMetrics>();
        return builder;
    }

    /// <summary>Adds the request middleware.</summary>
    public static WebApplication UseChatOperations(this WebApplication app) => app;

    /// <summary>Maps /healthz, /readyz and /metrics.</summary>
    public static WebApplication MapChatOperations(this WebApplication app) => app;
}
