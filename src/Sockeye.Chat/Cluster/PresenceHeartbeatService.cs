using Sockeye.Chat.Realtime;

namespace Sockeye.Chat.Cluster;

/// <summary>
/// Renews this instance's heartbeat every <see cref="ClusterSettings.HeartbeatInterval"/>, which also removes the
/// presence of dead instances and writes this instance's share again when Redis lost or refused it, and announces the
/// resulting changes to the rooms (<c>user_left</c>, <c>user_joined</c>) on every instance.
/// </summary>
internal sealed class PresenceHeartbeatService(
    ClusterRedis redis,
    RedisPresence presence,
    SocketIOServer io,
    ClusterSettings settings,
    TimeProvider time,
    ILogger<PresenceHeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await redis.ConnectAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(settings.HeartbeatInterval, time);
        var failing = false;
        do
        {
            try
            {
                var changes = await presence.HeartbeatAsync().ConfigureAwait(false);
                if (failing)
                {
                    failing = false;
                    ClusterLog.HeartbeatRestored(logger);
                }

                await AnnounceAsync(changes).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisPresence.IsRedisFailure(ex))
            {
                // Logged once per outage; the timer keeps trying.
                if (!failing)
                {
                    failing = true;
                    ClusterLog.HeartbeatFailed(logger, ex);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task AnnounceAsync(PresenceChanges changes)
    {
        foreach (var (room, userId) in changes.Left)
        {
            await io.To(room).EmitAsync(PresenceEvents.Left, PresenceEvents.Payload(userId, room)).ConfigureAwait(false);
        }

        foreach (var (room, userId) in changes.Joined)
        {
            await io.To(room).EmitAsync(PresenceEvents.Joined, PresenceEvents.Payload(userId, room)).ConfigureAwait(false);
        }
    }
}
