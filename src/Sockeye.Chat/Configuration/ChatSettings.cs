using Microsoft.Extensions.Primitives;

namespace Sockeye.Chat.Configuration;

/// <summary>
/// The service's settings, read from environment variables (or any configuration source with the same keys).
/// Every key is listed in the README with its default.
/// </summary>
public sealed class ChatSettings
{
    /// <summary>Folder for the SQLite database and the development signing key (<c>DATA_DIR</c>, default <c>data</c>).</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>
    /// <c>DATABASE_URL</c>: a SQLite path or connection string (default <c>{DATA_DIR}/chat.db</c>), or a PostgreSQL
    /// connection string (<c>Host=...</c> or <c>postgres://...</c>).
    /// </summary>
    public string DatabaseUrl { get; init; } = string.Empty;

    /// <summary><c>REDIS_URL</c>: enables the Redis adapter when set (default: none, in-process adapter).</summary>
    public string? RedisUrl { get; init; }

    /// <summary><c>JWT_SIGNING_KEY</c>: the HMAC key (at least 32 bytes); default: a key generated once in the data folder.</summary>
    public string? JwtSigningKey { get; init; }

    /// <summary><c>JWT_ISSUER</c> (default <c>sockeye-chat</c>).</summary>
    public string JwtIssuer { get; init; } = "sockeye-chat";

    /// <summary><c>JWT_AUDIENCE</c> (default <c>sockeye-chat</c>).</summary>
    public string JwtAudience { get; init; } = "sockeye-chat";

    /// <summary><c>JWT_AUTHORITY</c>: an OpenID Connect authority whose keys validate tokens (default: none, local key).</summary>
    public string? JwtAuthority { get; init; }

    /// <summary><c>DEV_LOGIN</c>: whether <c>POST /api/auth/token</c> issues tokens (default: true in Development only).</summary>
    public bool DevLogin { get; init; }

    /// <summary><c>ADMIN_USERS</c>: user names the development login gives the <c>admin</c> role (default <c>admin</c>).</summary>
    public IReadOnlySet<string> AdminUsers { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "admin" };

    /// <summary><c>CORS_ORIGINS</c>: comma-separated origins allowed for HTTP and Socket.IO (default: none, same origin only).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary><c>PING_INTERVAL_MS</c> (default 10,000).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>PING_TIMEOUT_MS</c> (default 5,000).</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>RECOVERY_WINDOW_MS</c>: how long a disconnected client may come back and recover its socket, rooms and
    /// missed messages (default 120,000; 0 turns connection state recovery off).</summary>
    public TimeSpan RecoveryWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary><c>RATE_LIMIT_PER_SECOND</c>: messages per second per connection (default 5).</summary>
    public int RateLimitPerSecond { get; init; } = 5;

    /// <summary><c>RATE_LIMIT_BURST</c>: the token bucket size (default 10).</summary>
    public int RateLimitBurst { get; init; } = 10;

    /// <summary><c>MAX_CONNECTIONS_PER_USER</c> (default 10).</summary>
    public int MaxConnectionsPerUser { get; init; } = 10;

    /// <summary><c>HANDSHAKES_PER_IP_PER_SECOND</c> (default 20).</summary>
    public int HandshakesPerIpPerSecond { get; init; } = 20;

    /// <summary><c>SHUTDOWN_TIMEOUT_SECONDS</c>: how long a stop may take before the process exits anyway (default 20).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary><c>LOG_FORMAT</c>: <c>json</c> or <c>text</c> (default json, text in Development).</summary>
    public string LogFormat { get; init; } = "json";

    /// <summary><c>PORT</c> (default 5000), used unless <c>ASPNETCORE_URLS</c> is set.</summary>
    public int Port { get; init; } = 5000;

    /// <summary><c>BIND_ADDRESS</c> (default <c>127.0.0.1</c>; <c>0.0.0.0</c> in a container).</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Whether <see cref="DatabaseUrl"/> names a PostgreSQL database.</summary>
    public bool UsesPostgres => DatabaseUrl.StartsWith("postgres", StringComparison.OrdinalIgnoreCase)
        || DatabaseUrl.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the settings.</summary>
    public static ChatSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var development = environment.IsDevelopment();
        var dataDirectory = configuration["DATA_DIR"] is { Length: > 0 } dir ? dir : "data";
        return new ChatSettings
        {
            DataDirectory = dataDirectory,
            DatabaseUrl = configuration["DATABASE_URL"] is { Length: > 0 } db ? db : $"Data Source={Path.Combine(dataDirectory, "chat.db")}",
            RedisUrl = NullIfEmpty(configuration["REDIS_URL"]),
            JwtSigningKey = NullIfEmpty(configuration["JWT_SIGNING_KEY"]),
            JwtIssuer = configuration["JWT_ISSUER"] is { Length: > 0 } issuer ? issuer : "sockeye-chat",
            JwtAudience = configuration["JWT_AUDIENCE"] is { Length: > 0 } audience ? audience : "sockeye-chat",
            JwtAuthority = NullIfEmpty(configuration["JWT_AUTHORITY"]),
            DevLogin = configuration["DEV_LOGIN"] is { Length: > 0 } login ? bool.Parse(login) : development,
            AdminUsers = new HashSet<string>(List(configuration["ADMIN_USERS"] ?? "admin"), StringComparer.Ordinal),
            CorsOrigins = List(configuration["CORS_ORIGINS"]),
            PingInterval = TimeSpan.FromMilliseconds(Int(configuration, "PING_INTERVAL_MS", 10_000)),
            PingTimeout = TimeSpan.FromMilliseconds(Int(configuration, "PING_TIMEOUT_MS", 5_000)),
            RecoveryWindow = configuration["RECOVERY_WINDOW_MS"]?.Trim() == "0" ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Int(configuration, "RECOVERY_WINDOW_MS", 120_000)),
            RateLimitPerSecond = Int(configuration, "RATE_LIMIT_PER_SECOND", 5),
            RateLimitBurst = Int(configuration, "RATE_LIMIT_BURST", 10),
            MaxConnectionsPerUser = Int(configuration, "MAX_CONNECTIONS_PER_USER", 10),
            HandshakesPerIpPerSecond = Int(configuration, "HANDSHAKES_PER_IP_PER_SECOND", 20),
            ShutdownTimeout = TimeSpan.FromSeconds(Int(configuration, "SHUTDOWN_TIMEOUT_SECONDS", 20)),
            Port = Int(configuration, "PORT", 5000),
            BindAddress = configuration["BIND_ADDRESS"] is { Length: > 0 } bind ? bind : "127.0.0.1",
            LogFormat = configuration["LOG_FORMAT"] is { Length: > 0 } format ? format : development ? "text" : "json",
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string[] List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Int(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new InvalidOperationException($"{key} must be a positive integer, got '{value}'.");
    }
}
