using System.Diagnostics;
using System.Text.Json;
using Sockeye.Redis.Tests.Infrastructure;
using static Sockeye.Redis.Tests.Infrastructure.Commands;

namespace Sockeye.Redis.Tests.Cluster;

/// <summary>
/// A server that hangs, a server that dies, and Redis itself going away: requests fail clearly and in bounded time,
/// and the cluster heals without restarting anything. Each test builds its own cluster (requests timeout 1 s).
/// </summary>
public sealed class FailureTests
{
    private const int RequestsTimeoutMs = 1000;

    [Fact]
    public async Task Requests_to_a_cluster_with_a_hung_server_time_out_with_a_clear_error_and_the_answers_received()
    {
        await using var redis = await StartRedisAsync();
        await using var a = await ClusterNode.StartSockeyeAsync("A", redis, RequestsTimeoutMs);
        await using var b = await ClusterNode.StartSockeyeAsync("B", redis, RequestsTimeoutMs);
        await using var c = await ClusterNode.StartSockeyeAsync("C", redis, RequestsTimeoutMs);
        await using var clients = await Clients.StartAsync();
        await clients.ConnectAsync("on-b", b);
        await clients.JoinAsync("on-b", "voters");

        // Frozen, C stays subscribed (Redis still counts it) but never answers.
        await c.Process.SignalAsync("STOP");
        try
        {
            var watch = Stopwatch.StartNew();
            var fetch = await a.RunAsync(Fetch());
            var emit = await a.RunAsync(ServerSideEmitWithAck("ask", "anyone?"));
            var broadcast = await a.RunAsync(EmitWithAck("vote", ["q"], rooms: ["voters"], timeoutMs: RequestsTimeoutMs));
            watch.Stop();

            Assert.Equal("RedisRequestTimeoutException", fetch.Str("error"));
            Assert.Equal("fetchSockets timed out after 1000 ms: 1 of 2 other servers answered", fetch.Str("message"));
            Assert.Equal("AckTimeoutException", emit.Str("error"));
            Assert.Equal("B", Assert.Single(emit.GetProperty("responses").EnumerateArray())[0].Str("node"));
            Assert.Equal("AckTimeoutException", broadcast.Str("error"));
            Assert.Equal("on-b", Assert.Single(broadcast.GetProperty("responses").EnumerateArray())[0].Str("from"));
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
        }
        finally
        {
            await c.Process.SignalAsync("CONT");
        }
    }

    [Fact]
    public async Task When_a_server_dies_the_others_stop_counting_it_and_requests_succeed()
    {
        await using var redis = await StartRedisAsync();
        await using var a = await ClusterNode.StartSockeyeAsync("A", redis, RequestsTimeoutMs);
        await using var b = await ClusterNode.StartSockeyeAsync("B", redis, RequestsTimeoutMs);
        await using var c = await ClusterNode.StartSockeyeAsync("C", redis, RequestsTimeoutMs);
        await using var clients = await Clients.StartAsync();
        var onB = await clients.ConnectAsync("on-b", b);
        await clients.ConnectAsync("on-c", c);

        await c.KillAsync();

        // Redis drops the dead server's subscriptions as soon as its connection closes.
        await EventuallyAsync(async () => (await a.RunOkAsync(ServerCount())).GetProperty("count").GetInt32() == 2, "A counts 2 servers");
        var fetched = await a.RunOkAsync(Fetch());
        Assert.Equal([onB], fetched.GetProperty("sockets").EnumerateArray().Select(s => s.Str("id")));
    }

    [Fact]
    public async Task Redis_restarted_mid_test_local_delivery_goes_on_cluster_calls_fail_fast_and_delivery_resumes()
    {
        await using var redis = await StartRedisAsync();
        await using var a = await ClusterNode.StartSockeyeAsync("A", redis, RequestsTimeoutMs);
        await using var b = await ClusterNode.StartSockeyeAsync("B", redis, RequestsTimeoutMs);
        await using var clients = await Clients.StartAsync();
        await clients.ConnectAsync("on-a", a);
        await clients.ConnectAsync("on-b", b);
        await clients.JoinAsync("on-a", "news");
        await clients.JoinAsync("on-b", "news");
        await a.RunOkAsync(Emit("before", [1], rooms: ["news"]));
        await clients.ReceivedAsync("on-b", "before");

        await redis.StopAsync();
        await EventuallyAsync(async () => !(await a.RunOkAsync(Health())).GetProperty("connected").GetBoolean(), "A sees Redis down");

        // Local clients are still served; cluster requests fail at once with a clear error.
        await a.RunOkAsync(Emit("during", [2], rooms: ["news"]));
        await clients.ReceivedAsync("on-a", "during");
        var watch = Stopwatch.StartNew();
        var fetch = await a.RunAsync(Fetch());
        var emit = await a.RunAsync(ServerSideEmit("hello", "x"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"cluster calls took {watch.Elapsed}");
        Assert.Equal("RedisBackplaneUnavailableException", fetch.Str("error"));
        Assert.Equal("fetchSockets could not reach the other servers: the Redis backplane is down", fetch.Str("message"));
        Assert.Equal("RedisBackplaneUnavailableException", emit.Str("error"));

        await redis.StartAsync();

        // Neither server restarts: both reconnect and resubscribe by themselves.
        var attempt = 0;
        await EventuallyAsync(
            async () =>
            {
                await b.RunAsync(Emit("after", [++attempt], rooms: ["news"]));
                return clients.Received("on-a", "after").Count > 0;
            },
            "a broadcast from B reaches A's client again",
            TimeSpan.FromSeconds(40));
        Assert.True((await a.RunOkAsync(Health())).GetProperty("connected").GetBoolean());
        Assert.Equal(2, (await a.RunOkAsync(ServerCount())).GetProperty("count").GetInt32());
        Assert.Empty(clients.Received("on-b", "during"));
        Assert.Contains("The Redis backplane is down", a.Process.Stderr(), StringComparison.Ordinal);
        Assert.Contains("The Redis backplane is up again", a.Process.Stderr(), StringComparison.Ordinal);
    }

    private static async Task<RedisServer> StartRedisAsync()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        return redis;
    }

    /// <summary>Checks a condition until it holds; for state that no event announces (a reconnection, a count).</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
