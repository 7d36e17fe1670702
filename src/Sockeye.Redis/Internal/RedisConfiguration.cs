using StackExchange.Redis;

namespace Sockeye.Redis.Internal;

/// <summary>Reads where Redis is, and sets what the adapter needs of the connection.</summary>
internal static class RedisConfiguration
{
    /// <summary>
    /// Parses a StackExchange.Redis configuration string or a <c>redis://[user:password@]host[:port][/db]</c> URL
    /// (<c>rediss://</c> for TLS), as hosting platforms hand out <c>REDIS_URL</c>.
    /// </summary>
    public static ConfigurationOptions Parse(string configuration)
    {
        ConfigurationOptions options;
        if (Uri.TryCreate(configuration, UriKind.Absolute, out var url) && url.Scheme is "redis" or "rediss")
        {
            options = new ConfigurationOptions { Ssl = url.Scheme == "rediss" };
            options.EndPoints.Add(url.Host, url.IsDefaultPort ? 6379 : url.Port);
            if (url.UserInfo.Length > 0)
            {
                var parts = url.UserInfo.Split(':', 2);
                if (parts.Length == 2)
                {
                    options.User = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
                    options.Password = Uri.UnescapeDataString(parts[1]);
                }
                else
                {
                    options.Password = Uri.UnescapeDataString(parts[0]);
                }
            }

            if (int.TryParse(url.AbsolutePath.Trim('/'), out var database))
            {
                options.DefaultDatabase = database;
            }
        }
        else
        {
            options = ConfigurationOptions.Parse(configuration);
        }

        // Start even when Redis is down, and keep retrying; while it is down, commands fail at once instead of
        // queueing, so that cluster calls fail fast and broadcasts fall back to local delivery.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "sockeye";
        return options;
    }
}
