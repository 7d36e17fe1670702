using System.Threading.RateLimiting;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Realtime;

/// <summary>
/// The per-connection state of a chat socket: its user, its token bucket, and the lock that keeps the user's
/// messages in the order they were sent.
/// </summary>
internal sealed class ChatConnection : IDisposable
{
    public ChatConnection(string userId, ChatSettings settings)
    {
        UserId = userId;
        RateLimiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.RateLimitBurst,
            TokensPerPeriod = settings.RateLimitPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        MillisecondsPerToken = (int)Math.Ceiling(1000.0 / settings.RateLimitPerSecond);
    }

    public string UserId { get; }

    public TokenBucketRateLimiter RateLimiter { get; }

    public int MillisecondsPerToken { get; }

    /// <summary>
    /// Messages of one connection are handled one at a time, in arrival order: handlers start in packet order and
    /// queue on this semaphore, whose waiters are released first come, first served.
    /// </summary>
    public SemaphoreSlim SendOrder { get; } = new(1, 1);

    public void Dispose()
    {
        RateLimiter.Dispose();
        SendOrder.Dispose();
    }
}
