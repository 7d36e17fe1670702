using Microsoft.Extensions.Logging.Abstractions;
using Sockeye.Chat.Cluster;
using Sockeye.Chat.Messages;
using Sockeye.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>De-duplication in Redis in front of a store that counts its calls, against a real <c>redis-server</c>.</summary>
public sealed class RedisDeduplicationTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly CountingStore _database = new();
    private readonly List<ClusterRedis> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_retry_on_another_instance_is_answered_from_Redis_without_the_database()
    {
        var first = await InstanceAsync();
        var second = await InstanceAsync();
        var messageId = Guid.NewGuid();

        var stored = await first.SaveAsync("ada", "chat", "hello", messageId, CancellationToken.None);
        var retried = await second.SaveAsync("ada", "chat", "hello again", messageId, CancellationToken.None);

        Assert.False(stored.Duplicate);
        Assert.True(retried.Duplicate);
        Assert.Equal(stored.Record, retried.Record);
        Assert.Equal(1, _database.Saves);
    }

    [Fact]
    public async Task The_same_message_id_of_another_user_is_another_message()
    {
        var store = await InstanceAsync();
        var messageId = Guid.NewGuid();

        await store.SaveAsync("ada", "chat", "hello", messageId, CancellationToken.None);
        var other = await store.SaveAsync("bob", "chat", "hello", messageId, CancellationToken.None);

        Assert.False(other.Duplicate);
        Assert.Equal(2, _database.Saves);
    }

    [Fact]
    public async Task A_message_claimed_by_an_instance_still_storing_it_is_left_to_the_database()
    {
        var store = await InstanceAsync();
        var messageId = Guid.NewGuid();
        await using var other = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await other.GetDatabase().StringSetAsync($"sockeye-chat:dedup:{messageId:D}:ada", RedisDeduplicatingMessageStore.Claimed);

        await store.SaveAsync("ada", "chat", "hello", messageId, CancellationToken.None);

        Assert.Equal(1, _database.Saves);
    }

    [Fact]
    public async Task Messages_without_an_id_go_straight_to_the_database()
    {
        var store = await InstanceAsync();

        await store.SaveAsync("ada", "chat", "one", null, CancellationToken.None);
        await store.SaveAsync("ada", "chat", "one", null, CancellationToken.None);

        Assert.Equal(2, _database.Saves);
    }

    [Fact]
    public async Task While_Redis_is_down_the_database_decides()
    {
        var store = await InstanceAsync();
        await redis.StopAsync();
        try
        {
            var saved = await store.SaveAsync("ada", "chat", "hello", Guid.NewGuid(), CancellationToken.None);

            Assert.False(saved.Duplicate);
            Assert.Equal(1, _database.Saves);
        }
        finally
        {
            await redis.StartAsync();
        }
    }

    private async Task<RedisDeduplicatingMessageStore> InstanceAsync()
    {
        var settings = new ClusterSettings { RedisUrl = redis.Configuration };
        var connection = new ClusterRedis(settings);
        _connections.Add(connection);
        await connection.ConnectAsync();
        return new RedisDeduplicatingMessageStore(_database, connection, settings, NullLogger<RedisDeduplicatingMessageStore>.Instance);
    }

    /// <summary>A database that stores everything it is given and counts it.</summary>
    private sealed class CountingStore : IMessageStore
    {
        private long _next;

        public int Saves { get; private set; }

        public Task<SaveResult> SaveAsync(string userId, string room, string text, Guid? messageId, CancellationToken cancellationToken)
        {
            Saves++;
            var id = Interlocked.Increment(ref _next);
            return Task.FromResult(new SaveResult(new ChatMessageRecord(id, messageId, userId, room, text, DateTimeOffset.UnixEpoch.AddSeconds(id), id), Duplicate: false));
        }

        public Task<IReadOnlyList<ChatMessageRecord>> GetHistoryAsync(string room, long? before, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ChatMessageRecord>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
