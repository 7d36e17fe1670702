using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sockeye.Chat.Configuration;
using Sockeye.Hosting;

namespace Sockeye.Chat.Realtime;

/// <summary>The Socket.IO side of the chat.</summary>
public static class RealtimeExtensions
{
    /// <summary>
    /// Adds Socket.IO (service ping settings, CORS allow-list, handshake limits, connection state recovery) and the chat
    /// handlers. With <see cref="ChatSettings.RedisUrl"/> the Redis adapter replaces the in-process one, so that
    /// broadcasts reach the sockets of every instance, and recovery is kept in Redis; presence and de-duplication across
    /// instances are added by <c>AddChatCluster</c>.
    /// </summary>
    public static IServiceCollection AddChatRealtime(this IServiceCollection services, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<PresenceTracker>();
        services.TryAddSingleton<IRoomPresence, LocalRoomPresence>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<HandshakeRateLimiter>();
        services.AddSingleton<ChatRealtime>();
        services.AddSingleton<IEngineDrainHook, ChatDrainHook>();
        var socketIO = services.AddSocketIO(o =>
        {
            o.PingInterval = settings.PingInterval;
            o.PingTimeout = settings.PingTimeout;
            o.JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
            o.DrainTimeout = TimeSpan.FromSeconds(5);

            // A client that comes back within the window gets its socket, rooms and missed messages back. The
            // middleware runs again on recovery: the token is checked and the connection counted like any other.
            if (settings.RecoveryWindow > TimeSpan.Zero)
            {
                o.ConnectionStateRecovery = new() { MaxDisconnectionDuration = settings.RecoveryWindow, SkipMiddlewares = false };
            }
            if (settings.CorsOrigins.Count > 0)
            {
                o.Cors = policy => policy.WithOrigins([.. settings.CorsOrigins]).AllowCredentials().AllowAnyHeader().WithMethods("GET", "POST");
            }
        });
        if (settings.RedisUrl is { } redisUrl)
        {
            // Sessions and missed messages in Redis: a client recovers on any instance, also after its own died.
            socketIO.AddRedisAdapter(redisUrl);
            if (settings.RecoveryWindow > TimeSpan.Zero)
            {
                socketIO.AddRedisConnectionStateStore();
            }
        }

        services.AddOptions<SocketIOOptions>().Configure<HandshakeRateLimiter>((o, limiter) => o.AllowRequest = limiter.AllowAsync);
        return services;
    }

    /// <summary>Maps Socket.IO at /socket.io/.</summary>
    public static WebApplication MapChatRealtime(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var realtime = app.Services.GetRequiredService<ChatRealtime>();
        app.MapSocketIO("/socket.io", realtime.Configure);
        return app;
    }
}
