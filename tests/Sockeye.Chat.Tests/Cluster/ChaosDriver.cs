using System.Globalization;
using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;
using Sockeye.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>What the chaos tests share: chat instances configured for a cluster under load, and a driver script read line by line.</summary>
internal static class ChaosDriver
{
    /// <summary>
    /// The settings of a chat instance in a chaos run: the shared database, Redis and key, and limits opened up so the
    /// load itself is never what gets refused.
    /// </summary>
    public static Dictionary<string, string> InstanceSettings(string databaseUrl, int redisPort, string signingKey) => new()
    {
        ["DATABASE_URL"] = databaseUrl,
        ["REDIS_URL"] = $"redis://127.0.0.1:{redisPort.ToString(CultureInfo.InvariantCulture)}",
        ["JWT_SIGNING_KEY"] = signingKey,
        ["DEV_LOGIN"] = "true",
        ["CLUSTER_INSTANCE_TIMEOUT_MS"] = "3000",
        ["HANDSHAKES_PER_IP_PER_SECOND"] = "1000",
        ["RATE_LIMIT_PER_SECOND"] = "100",
        ["RATE_LIMIT_BURST"] = "100",
        ["MAX_CONNECTIONS_PER_USER"] = "50",
    };

    /// <summary>
    /// Reads the driver's lines until <paramref name="eventName"/>, writing the others to the test output; an
    /// <c>error</c> line fails the test with the instances' last log lines.
    /// </summary>
    public static async Task<JsonElement> ExpectAsync(NodeScript script, string eventName, TimeSpan timeout, ITestOutputHelper output, IEnumerable<ChatProcess> instances)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var line = await script.ReadAsync(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (deadline - DateTime.UtcNow).Ticks)));
            var name = line.GetProperty("event").GetString();
            if (name == eventName)
            {
                return line;
            }

            if (name == "error")
            {
                Assert.Fail($"The driver failed: {line}\n{Logs(instances)}");
            }

            output.WriteLine(line.ToString());
        }
    }

    /// <summary>The last 40 log lines of every instance.</summary>
    public static string Logs(IEnumerable<ChatProcess> instances) =>
        string.Join("\n", instances.Select(i => $"--- {i.Name}\n{string.Join('\n', i.Output.Split('\n').TakeLast(40))}"));
}
