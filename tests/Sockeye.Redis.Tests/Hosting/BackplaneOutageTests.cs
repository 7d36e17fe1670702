using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sockeye.Redis.Tests.Infrastructure;

namespace Sockeye.Redis.Tests.Hosting;

/// <summary>Outages seen from inside one server: instruments, and a start without Redis.</summary>
public sealed class BackplaneOutageTests
{
    [Fact]
    public async Task An_outage_is_counted_the_gauge_drops_and_broadcasts_that_cannot_be_published_are_counted()
    {
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        var measurements = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name.StartsWith("sockeye.redis.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measurements[instrument.Name] = value);
        listener.Start();

        await using var app = await StartAsync(redis, TimeSpan.FromSeconds(10));
        var io = app.Services.GetRequiredService<SocketIOServer>();
        var health = app.Services.GetRequiredService<RedisAdapterHealth>();
        listener.RecordObservableInstruments();
        Assert.Equal(1, measurements["sockeye.redis.connected"]);

        await redis.StopAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        // The connection drops first, then StackExchange.Redis raises ConnectionFailed, which is what counts the outage.
        while (health.IsConnected || !measurements.ContainsKey("sockeye.redis.outages"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the backplane never noticed the outage");
            await Task.Delay(50);
        }

        await io.EmitAsync("lost-for-other-servers", 1);
        await Assert.ThrowsAsync<RedisBackplaneUnavailableException>(async () => await io.FetchSocketsAsync());
        listener.RecordObservableInstruments();

        Assert.Equal(0, measurements["sockeye.redis.connected"]);
        Assert.Equal(1, measurements["sockeye.redis.outages"]);
        Assert.Equal(1, measurements["sockeye.redis.publish_failures"]);
        Assert.Equal(1, measurements["sockeye.redis.requests_refused"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_server_started_without_Redis_serves_alone_and_joins_the_cluster_when_Redis_comes()
    {
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        await redis.StopAsync();

        await using var app = await StartAsync(redis, TimeSpan.FromMilliseconds(500));
        var io = app.Services.GetRequiredService<SocketIOServer>();
        var health = app.Services.GetRequiredService<RedisAdapterHealth>();
        Assert.False(health.IsConnected);
        await io.EmitAsync("local-only", 1);
        await Assert.ThrowsAsync<RedisBackplaneUnavailableException>(async () => await io.Sockets.Adapter.ServerCountAsync());

        await redis.StartAsync();

        await ((RedisAdapter)io.Sockets.Adapter).Ready.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(health.IsConnected);
        Assert.Equal(1, await io.Sockets.Adapter.ServerCountAsync());
        await app.StopAsync();
    }

    private static async Task<WebApplication> StartAsync(RedisServer redis, TimeSpan connectTimeout)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSocketIO().AddRedisAdapter(redis.Configuration, o => o.ConnectTimeout = connectTimeout);
        var app = builder.Build();
        app.MapSocketIO(_ => { });
        await app.StartAsync();
        return app;
    }
}
