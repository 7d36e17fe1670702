using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sockeye.Redis.Tests.Infrastructure;

/// <summary>
/// One server of the test cluster in its own process: a Sockeye test node (tests/Sockeye.Redis.TestNode) or the Node
/// socket.io server with the reference Redis adapter (tests/interop/redis-node-server.mjs). Both run the same test
/// app and answer the same commands.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly LineProcess _process;

    private ClusterNode(LineProcess process, string name, int port)
    {
        _process = process;
        Name = name;
        Url = $"http://127.0.0.1:{port}/";
    }

    public string Name { get; }

    /// <summary>The server's base URL, for clients.</summary>
    public string Url { get; }

    public LineProcess Process => _process;

    public static Task<ClusterNode> StartSockeyeAsync(string name, RedisServer redis, int requestsTimeoutMs = 5000, bool sharded = false) =>
        StartAsync(name, LineProcess.Start(name, "dotnet", AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "Sockeye.Redis.TestNode.dll"), name, redis.Configuration, requestsTimeoutMs.ToString(), sharded ? "sharded" : "classic"));

    /// <summary>A Sockeye node with connection state recovery in Redis (<paramref name="recoveryWindowMs"/>, complete snapshots every 5 s).</summary>
    public static Task<ClusterNode> StartRecoveringSockeyeAsync(string name, RedisServer redis, int recoveryWindowMs) =>
        StartAsync(name, LineProcess.Start(name, "dotnet", AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "Sockeye.Redis.TestNode.dll"), name, redis.Configuration, "5000", "classic", recoveryWindowMs.ToString()));

    public static Task<ClusterNode> StartNodeAsync(string name, RedisServer redis, int requestsTimeoutMs = 5000, bool sharded = false) =>
        StartAsync(name, LineProcess.Start(name, "node", Paths.Interop, "redis-node-server.mjs", name, redis.Port.ToString(), requestsTimeoutMs.ToString(), sharded ? "sharded" : "classic"));

    /// <summary>Runs a server-side operation (see Commands.cs of the test node) and returns its result line.</summary>
    public async Task<JsonElement> RunAsync(JsonObject command, TimeSpan? timeout = null)
    {
        var result = await _process.RequestAsync(command, timeout ?? TimeSpan.FromSeconds(20));
        return result;
    }

    /// <summary>As <see cref="RunAsync"/>, failing the test if the operation failed.</summary>
    public async Task<JsonElement> RunOkAsync(JsonObject command, TimeSpan? timeout = null)
    {
        var result = await RunAsync(command, timeout);
        Assert.False(result.TryGetProperty("error", out _), $"{Name}: {command.ToJsonString()} failed: {result}");
        return result;
    }

    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task<ClusterNode> StartAsync(string name, LineProcess process)
    {
        try
        {
            var listening = await process.WaitForEventAsync("listening", TimeSpan.FromSeconds(30));
            return new ClusterNode(process, name, listening.GetProperty("port").GetInt32());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
