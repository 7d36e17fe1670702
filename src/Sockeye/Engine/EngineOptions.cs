using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Sockeye.Engine;

/// <summary>
/// Options of an Engine.IO endpoint. Defaults are the reference server's (engine.io 6.x) unless a remark says why not.
/// </summary>
public class EngineOptions
{
    /// <summary>How often the server pings each client. Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long the server waits for the pong before closing with <c>ping timeout</c>. Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a polling to WebSocket upgrade may take before the new transport is dropped. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest polling POST body or WebSocket message accepted, in bytes; advertised to clients as
    /// <c>maxPayload</c>. Default 1,000,000.
    /// </summary>
    /// <remarks>A larger POST is answered 413 and a larger WebSocket message closes the socket with 1009; the session
    /// closes with <c>transport error</c> either way.</remarks>
    public int MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>The transports clients may use. Default both.</summary>
    public EngineTransports Transports { get; set; } = EngineTransports.All;

    /// <summary>Whether polling sessions may upgrade to WebSocket. Default <see langword="true"/>.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>Whether polling responses are compressed (gzip or deflate, as the client accepts). Default <see langword="true"/>.</summary>
    public bool HttpCompression { get; set; } = true;

    /// <summary>The smallest polling response worth compressing, in bytes. Default 1024.</summary>
    public int CompressionThreshold { get; set; } = 1024;

    /// <summary>Whether WebSocket per-message deflate is negotiated. Default <see langword="false"/>.</summary>
    public bool PerMessageDeflate { get; set; }

    /// <summary>The session cookie for sticky load balancing; <see langword="null"/> (the default) sets none.</summary>
    public EngineCookieOptions? Cookie { get; set; }

    /// <summary>
    /// The CORS policy of the endpoint; <see langword="null"/> (the default) adds no CORS headers.
    /// </summary>
    /// <remarks>When set, a WebSocket upgrade whose <c>Origin</c> the policy does not allow is refused with 400, so a
    /// page on another site cannot open a WebSocket with the user's cookies (cross-site WebSocket hijacking).</remarks>
    public Action<CorsPolicyBuilder>? Cors { get; set; }

    /// <summary>
    /// Decides whether a handshake or upgrade request may proceed (authentication, origin checks, rate limits).
    /// Applied to polling handshakes, direct WebSocket connections and WebSocket upgrades alike.
    /// </summary>
    public Func<HttpContext, ValueTask<AllowRequestResult>>? AllowRequest { get; set; }

    /// <summary>A message sent to every client right after the handshake; <see langword="null"/> (the default) sends none.</summary>
    public string? InitialPacket { get; set; }

    /// <summary>
    /// The most packets one session may have waiting to be written. Default 10,000.
    /// </summary>
    /// <remarks>A client that reads slower than the server writes fills only its own queue; when the queue is full
    /// the session closes with <see cref="EngineCloseReasons.OutboundQueueFull"/> and the event is logged. Volatile
    /// packets are dropped instead of queued when the transport is not ready.</remarks>
    public int MaxOutboundPackets { get; set; } = 10_000;

    /// <summary>The most sessions open at once. Default 100,000.</summary>
    /// <remarks>Beyond it new handshakes get 503 (<c>Server full</c>) and existing sessions are not affected.</remarks>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>
    /// The most sessions open at once from one client address (0, the default, for no limit: behind a proxy without
    /// forwarded headers every client shares the proxy's address).
    /// </summary>
    /// <remarks>Beyond it new handshakes from that address get 403 with code 4.</remarks>
    public int MaxSessionsPerAddress { get; set; }

    /// <summary>
    /// The most handshakes and upgrades in progress at once: between their first check and their session's
    /// registration, which includes <see cref="AllowRequest"/> and the WebSocket accept. Default 1024.
    /// </summary>
    /// <remarks>Beyond it new handshakes get 503 with code 3 (<c>Too many handshakes in progress</c>); clients retry
    /// with their reconnection backoff.</remarks>
    public int MaxConcurrentHandshakes { get; set; } = 1024;

    /// <summary>
    /// How long a closed polling session waits for the client's next request to deliver the <c>close</c> packet.
    /// Default 30 s.
    /// </summary>
    public TimeSpan PollingCloseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long graceful shutdown waits for sessions to flush their last packets. Default 5 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Copies every setting onto <paramref name="target"/>.</summary>
    public void CopyTo(EngineOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.PingInterval = PingInterval;
        target.PingTimeout = PingTimeout;
        target.UpgradeTimeout = UpgradeTimeout;
        target.MaxHttpBufferSize = MaxHttpBufferSize;
        target.Transports = Transports;
        target.AllowUpgrades = AllowUpgrades;
        target.HttpCompression = HttpCompression;
        target.CompressionThreshold = CompressionThreshold;
        target.PerMessageDeflate = PerMessageDeflate;
        target.Cookie = Cookie;
        target.Cors = Cors;
        target.AllowRequest = AllowRequest;
        target.InitialPacket = InitialPacket;
        target.MaxOutboundPackets = MaxOutboundPackets;
        target.MaxSessions = MaxSessions;
        target.MaxSessionsPerAddress = MaxSessionsPerAddress;
        target.MaxConcurrentHandshakes = MaxConcurrentHandshakes;
        target.PollingCloseTimeout = PollingCloseTimeout;
        target.DrainTimeout = DrainTimeout;
    }

    /// <summary>Returns the first problem with these options, or <see langword="null"/> when they are valid.</summary>
    public virtual string? Validate()
    {
        if (PingInterval <= TimeSpan.Zero) return "PingInterval must be positive.";
        if (PingTimeout <= TimeSpan.Zero) return "PingTimeout must be positive.";
        if (UpgradeTimeout <= TimeSpan.Zero) return "UpgradeTimeout must be positive.";
        if (MaxHttpBufferSize < 1) return "MaxHttpBufferSize must be at least 1 byte.";
        if ((Transports & EngineTransports.All) == EngineTransports.None) return "Transports must enable polling, WebSocket or both.";
        if (CompressionThreshold < 0) return "CompressionThreshold must not be negative.";
        if (MaxOutboundPackets < 1) return "MaxOutboundPackets must be at least 1.";
        if (MaxSessions < 1) return "MaxSessions must be at least 1.";
        if (MaxSessionsPerAddress < 0) return "MaxSessionsPerAddress must not be negative.";
        if (MaxConcurrentHandshakes < 1) return "MaxConcurrentHandshakes must be at least 1.";
        if (PollingCloseTimeout < TimeSpan.Zero) return "PollingCloseTimeout must not be negative.";
        if (DrainTimeout < TimeSpan.Zero) return "DrainTimeout must not be negative.";
        return null;
    }
}
