using Microsoft.Extensions.Logging.Abstractions;
using Sockeye.Chat.Cluster;
using Sockeye.Chat.Realtime;
using Sockeye.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>
/// The presence scripts against a real <c>redis-server</c>, with two or three instances in one process: each is a
/// <see cref="RedisPresence"/> with its own connection and its own counts, as in separate processes.
/// </summary>
public sealed class RedisPresenceTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);
    private readonly List<(ClusterRedis Connection, RedisPresence Presence)> _instances = [];

    public async Task InitializeAsync()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        await admin.GetServers()[0].FlushAllDatabasesAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var (connection, presence) in _instances)
        {
            presence.Dispose();
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_user_on_two_instances_is_online_once_and_leaves_with_the_last_connection()
    {
        var a = await StartAsync();
        var b = await StartAsync();

        Assert.True(await a.JoinAsync("room", "ada"));
        Assert.False(await b.JoinAsync("room", "ada"));
        Assert.Equal(["ada"], await b.OnlineAsync("room"));
        Assert.False(await a.LeaveAsync("room", "ada"));
        Assert.Equal(["ada"], await a.OnlineAsync("room"));
        Assert.True(await b.LeaveAsync("room", "ada"));
        Assert.Empty(await a.OnlineAsync("room"));
    }

    [Fact]
    public async Task The_share_of_an_instance_that_stops_its_heartbeat_is_removed_with_the_users_it_was_last_for()
    {
        var dead = await StartAsync();
        var alive = await StartAsync();
        await dead.JoinAsync("room", "ada");
        await dead.JoinAsync("room", "bob");
        await alive.JoinAsync("room", "bob");

        await Task.Delay(Timeout * 2);
        var changes = await alive.HeartbeatAsync();

        Assert.Equal([("room", "ada")], changes.Left);
        Assert.Equal(["bob"], await alive.OnlineAsync("room"));
        Assert.Empty((await alive.HeartbeatAsync()).Left);
    }

    [Fact]
    public async Task An_instance_taken_for_dead_writes_its_share_again_at_its_next_heartbeat()
    {
        var slow = await StartAsync();
        var other = await StartAsync();
        await slow.JoinAsync("room", "ada");
        await Task.Delay(Timeout * 2);
        Assert.Equal([("room", "ada")], (await other.HeartbeatAsync()).Left);

        var changes = await slow.HeartbeatAsync();

        Assert.Equal([("room", "ada")], changes.Joined);
        Assert.Equal(["ada"], await other.OnlineAsync("room"));
    }

    [Fact]
    public async Task After_Redis_loses_its_data_every_instance_writes_its_share_again()
    {
        var a = await StartAsync();
        var b = await StartAsync();
        await a.JoinAsync("room", "ada");
        await a.JoinAsync("room", "ada");
        await b.JoinAsync("room", "ada");
        await b.JoinAsync("other", "bob");
        await InitializeAsync();

        await a.HeartbeatAsync();
        await b.HeartbeatAsync();

        Assert.Equal(["ada"], await a.OnlineAsync("room"));
        Assert.Equal(["bob"], await a.OnlineAsync("other"));
        Assert.False(await a.LeaveAsync("room", "ada"));
        Assert.False(await b.LeaveAsync("room", "ada"));
        Assert.True(await a.LeaveAsync("room", "ada"));
    }

    [Fact]
    public async Task Leaving_with_a_connection_Redis_does_not_know_takes_nothing_from_the_others()
    {
        var a = await StartAsync();
        var b = await StartAsync();
        await a.JoinAsync("room", "ada");
        await InitializeAsync();
        Assert.True(await b.JoinAsync("room", "ada"));

        Assert.False(await a.LeaveAsync("room", "ada"));
        Assert.Equal(["ada"], await b.OnlineAsync("room"));
    }

    [Fact]
    public async Task While_Redis_is_down_answers_come_from_the_instance_and_its_share_is_written_once_Redis_is_back()
    {
        var a = await StartAsync();
        await a.JoinAsync("room", "ada");
        await redis.StopAsync();
        try
        {
            Assert.True(await a.JoinAsync("room", "bob"));
            Assert.Equal(["ada", "bob"], await a.OnlineAsync("room"));
            Assert.True(await a.LeaveAsync("room", "ada"));
        }
        finally
        {
            await redis.StartAsync();
        }

        var b = await StartAsync();
        await WaitForAsync(async () =>
        {
            try
            {
                await a.HeartbeatAsync();
                return (await b.OnlineAsync("room")).SequenceEqual(["bob"]);
            }
            catch (RedisException)
            {
                return false;
            }
        });
    }

    private async Task<RedisPresence> StartAsync()
    {
        var settings = new ClusterSettings { RedisUrl = $"redis://{redis.Configuration}", InstanceTimeout = Timeout };
        var connection = new ClusterRedis(settings);
        await connection.ConnectAsync();
        var presence = new RedisPresence(connection, new PresenceTracker(), settings, NullLogger<RedisPresence>.Instance);
        _instances.Add((connection, presence));
        await presence.HeartbeatAsync();
        return presence;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(100);
        }
    }
}
