using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Operations;
using Sockeye.Engine;

namespace Sockeye.Chat.Realtime;

/// <summary>
/// Decides on each Engine.IO handshake: refused while the service drains, and limited per client address to
/// <c>HANDSHAKES_PER_IP_PER_SECOND</c> (a fixed one-second window per address).
/// </summary>
public sealed class HandshakeRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly DrainState _drain;

    /// <summary>Creates the limiter.</summary>
    public HandshakeRateLimiter(ChatSettings settings, DrainState drain)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _drain = drain;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.HandshakesPerIpPerSecond,
            Window = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }));
    }

    /// <summary>The engine's <c>AllowRequest</c> hook.</summary>
    public ValueTask<AllowRequestResult> AllowAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_drain.IsDraining)
        {
            return ValueTask.FromResult(AllowRequestResult.Deny("server draining"));
        }

        if (context.Request.Query.ContainsKey("sid"))
        {
            // An upgrade of an existing session, not a new handshake.
            return ValueTask.FromResult(AllowRequestResult.Allow);
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = _limiter.AttemptAcquire(address);
        return ValueTask.FromResult(lease.IsAcquired ? AllowRequestResult.Allow : AllowRequestResult.Deny("too many handshakes"));
    }

    /// <inheritdoc/>
    public void Dispose() => _limiter.Dispose();
}
