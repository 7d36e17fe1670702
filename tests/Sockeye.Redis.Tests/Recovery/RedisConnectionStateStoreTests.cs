using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Adapters;
using Sockeye.Recovery;
using Sockeye.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sockeye.Redis.Tests.Recovery;

/// <summary>The Redis store on its own, against a real redis-server: sessions, the packet stream, its bounds, snapshots.</summary>
public sealed class RedisConnectionStateStoreTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        await _redis.GetServer(_redis.GetEndPoints()[0]).FlushDatabaseAsync();
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_session_comes_back_once_with_its_rooms_data_as_json_and_the_packets_for_its_rooms_after_the_offset()
    {
        await using var services = Build();
        var store = services.GetRequiredService<RedisConnectionStateStore>();
        var seen = await store.AppendAsync("/", "tick", [1], To("r"));
        await store.AppendAsync("/", "tick", [2, new byte[] { 1, 2, 3 }], To("r"));
        await store.AppendAsync("/", "other", [3], To("elsewhere"));
        await store.AppendAsync("/", "all", [new { text = "hi", count = 4 }], BroadcastOptions.Everyone);
        await store.AppendAsync("/", "not-for-me", [5], new BroadcastOptions(FrozenSet<string>.Empty, new[] { "r" }.ToFrozenSet(), default));
        await store.AppendAsync("/other", "tick", [6], To("r"));
        await store.SaveSessionAsync(new RecoverySession("pid1", "sid1", "/", ["sid1", "r"], new Dictionary<string, object?> { ["name"] = "ada", ["age"] = 36 }, DateTimeOffset.UtcNow));

        var restored = await store.RestoreAsync("/", "pid1", seen);
        var missed = await store.ReadAfterAsync("/", seen, restored.Session!.Rooms);

        Assert.True(restored.Succeeded);
        Assert.NotNull(missed);
        Assert.Equal("sid1", restored.Session.Sid);
        Assert.Equal(["sid1", "r"], restored.Session.Rooms);
        Assert.Equal("ada", Assert.IsType<JsonElement>(restored.Session.Data["name"]).GetString());
        Assert.Equal(36, ((JsonElement)restored.Session.Data["age"]!).GetInt32());
        Assert.Equal(["tick", "all"], missed.Select(p => p.EventName));
        Assert.Equal(new byte[] { 1, 2, 3 }, missed[0].Args[1]);
        Assert.Equal("hi", ((IReadOnlyDictionary<string, object?>)missed[1].Args[0]!)["text"]);
        Assert.True(string.CompareOrdinal(seen, missed[0].Offset) < 0 || seen.Length < missed[0].Offset.Length);
        Assert.Equal(RecoveryFailure.UnknownSession, (await store.RestoreAsync("/", "pid1", seen)).Failure);
    }

    [Fact]
    public async Task Offsets_that_are_unknown_or_trimmed_by_count_are_not_kept()
    {
        await using var services = Build(maxPackets: 10);
        var store = services.GetRequiredService<RedisConnectionStateStore>();
        var first = await store.AppendAsync("/", "tick", [0], To("r"));
        for (var i = 1; i < 400; i++)
        {
            await store.AppendAsync("/", "tick", [i], To("r"));
        }

        await SaveAsync(store, "p1");
        await SaveAsync(store, "p2");
        await SaveAsync(store, "p3");

        // MAXLEN ~ trims whole nodes of 100 entries: the stream stays near the bound, not exactly at it.
        Assert.InRange(await _redis.GetDatabase().StreamLengthAsync("sockeye:recovery:stream:/"), 10, 200);
        Assert.Equal(RecoveryFailure.OffsetNotKept, (await store.RestoreAsync("/", "p1", first)).Failure);
        Assert.Equal(RecoveryFailure.OffsetNotKept, (await store.RestoreAsync("/", "p2", "not an offset")).Failure);
        Assert.Equal(RecoveryFailure.OffsetNotKept, (await store.RestoreAsync("/", "p3", "99999999999999-0")).Failure);
        Assert.Null(await store.ReadAfterAsync("/", first, ["r"]));
        Assert.Equal(RecoveryFailure.UnknownSession, (await store.RestoreAsync("/", "nobody", first)).Failure);
    }

    [Fact]
    public async Task Sessions_and_packets_older_than_the_window_are_dropped()
    {
        await using var services = Build(window: TimeSpan.FromMilliseconds(500));
        var store = services.GetRequiredService<RedisConnectionStateStore>();
        var old = await store.AppendAsync("/", "tick", [1], To("r"));
        await SaveAsync(store, "p1");
        await Task.Delay(800);

        await store.AppendAsync("/", "tick", [2], To("r"));
        await SaveAsync(store, "p2");

        Assert.Equal(RecoveryFailure.UnknownSession, (await store.RestoreAsync("/", "p1", old)).Failure);
        Assert.Equal(RecoveryFailure.OffsetNotKept, (await store.RestoreAsync("/", "p2", old)).Failure);
        Assert.Equal(1, await _redis.GetDatabase().StreamLengthAsync("sockeye:recovery:stream:/"));
    }

    [Fact]
    public async Task Snapshots_write_changed_sessions_only_and_restore_like_saved_ones()
    {
        await using var services = Build();
        var store = services.GetRequiredService<RedisConnectionStateStore>();
        var db = _redis.GetDatabase();
        var offset = await store.AppendAsync("/", "tick", [1], To("r"));
        var session = new RecoverySession("live", "sid", "/", ["sid", "r"], new Dictionary<string, object?> { ["n"] = 1 }, DateTimeOffset.UtcNow);

        await store.SaveConnectedAsync([session], complete: true, CancellationToken.None);
        var ttl = await db.KeyTimeToLiveAsync("sockeye:recovery:session:live");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));

        // Unchanged: not written again (the key deleted behind the store's back stays deleted).
        await db.KeyDeleteAsync("sockeye:recovery:session:live");
        await store.SaveConnectedAsync([session with { DisconnectedAt = DateTimeOffset.UtcNow }], complete: true, CancellationToken.None);
        Assert.False(await db.KeyExistsAsync("sockeye:recovery:session:live"));

        await store.SaveConnectedAsync([session with { Rooms = ["sid", "r", "s"] }], complete: true, CancellationToken.None);
        var restored = await store.RestoreAsync("/", "live", offset);

        Assert.True(restored.Succeeded);
        Assert.Equal(["sid", "r", "s"], restored.Session.Rooms);
    }

    private ServiceProvider Build(int maxPackets = 10_000, TimeSpan? window = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSocketIO(o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions
        {
            MaxPackets = maxPackets,
            MaxDisconnectionDuration = window ?? TimeSpan.FromMinutes(2),
        })
            .AddRedisAdapter(redis.Configuration)
            .AddRedisConnectionStateStore();
        return services.BuildServiceProvider();
    }

    private static ValueTask SaveAsync(RedisConnectionStateStore store, string pid) =>
        store.SaveSessionAsync(new RecoverySession(pid, "s-" + pid, "/", ["r"], new Dictionary<string, object?>(), DateTimeOffset.UtcNow));

    private static BroadcastOptions To(string room) => new(new[] { room }.ToFrozenSet(), FrozenSet<string>.Empty, default);
}
