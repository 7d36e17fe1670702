using System.Globalization;
using StackExchange.Redis;

namespace Sockeye.Chat.Cluster;

/// <summary>Reads <c>REDIS_URL</c> as the adapter reads it, for the chat's own connection.</summary>
internal static class RedisUrl
{
    /// <summary>
    /// A <c>redis://[user:password@]host[:port][/db]</c> URL (<c>rediss://</c> for TLS), as hosting platforms hand it
    /// out, or a StackExchange.Redis configuration string (<c>host:port,password=...</c>).
    /// </summary>
    public static ConfigurationOptions Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        ConfigurationOptions options;
        if (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "redis" or "rediss")
        {
            options = new ConfigurationOptions { Ssl = url.Scheme == "rediss" };
            options.EndPoints.Add(url.Host, url.IsDefaultPort ? 6379 : url.Port);
            if (url.UserInfo.Length > 0)
            {
                var separator = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
                if (separator < 0)
                {
                    options.Password = Uri.UnescapeDataString(url.UserInfo);
                }
                else
                {
                    options.User = separator > 0 ? Uri.UnescapeDataString(url.UserInfo[..separator]) : null;
                    options.Password = Uri.UnescapeDataString(url.UserInfo[(separator + 1)..]);
                }
            }

            if (int.TryParse(url.AbsolutePath.Trim('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var database))
            {
                options.DefaultDatabase = database;
            }
        }
        else
        {
            options = ConfigurationOptions.Parse(value);
        }

        // Start without Redis and keep retrying; while it is down, fail at once so that callers fall back quickly.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
