using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sockeye.Redis.Tests.Hosting;

/// <summary>Registration, start-up and health, in process against a real Redis.</summary>
public sealed class AddRedisAdapterTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task AddRedisAdapter_replaces_the_in_memory_adapter_and_reports_a_healthy_backplane_once_started()
    {
        await using var app = await StartAsync(builder => builder.AddRedisAdapter(redis.Configuration));
        var io = app.Services.GetRequiredService<SocketIOServer>();

        var adapter = Assert.IsType<RedisAdapter>(io.Sockets.Adapter);

        Assert.True(adapter.Ready.IsCompletedSuccessfully);
        Assert.True(app.Services.GetRequiredService<RedisAdapterHealth>().IsConnected);
        Assert.Equal(1, await io.Sockets.Adapter.ServerCountAsync());
        Assert.Empty(await io.ServerSideEmitWithAckAsync("alone"));
    }

    [Fact]
    public async Task A_multiplexer_of_the_application_can_be_used_and_is_left_open()
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using (var app = await StartAsync(builder => builder.AddRedisAdapter(_ => multiplexer)))
        {
            Assert.IsType<RedisAdapter>(app.Services.GetRequiredService<SocketIOServer>().Sockets.Adapter);
        }

        Assert.True(multiplexer.IsConnected);
        await multiplexer.DisposeAsync();
    }

    [Fact]
    public async Task Invalid_options_fail_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(builder => builder.AddRedisAdapter(redis.Configuration, o => o.Key = "")));

        Assert.Contains("RedisAdapterOptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_urls_are_read_as_hosting_platforms_hand_them_out()
    {
        var options = RedisConfiguration.Parse("redis://user:p%40ss@cache.internal:6380/2");

        Assert.Equal("cache.internal:6380", options.EndPoints.Single().ToString()!.Replace("Unspecified/", "", StringComparison.Ordinal));
        Assert.Equal("user", options.User);
        Assert.Equal("p@ss", options.Password);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(BacklogPolicy.FailFast, options.BacklogPolicy);
    }

    [Fact]
    public async Task Without_a_cluster_adapter_server_side_emits_go_nowhere_at_once()
    {
        var services = new ServiceCollection().AddLogging().AddSocketIO().Services.BuildServiceProvider();
        var io = services.GetRequiredService<SocketIOServer>();

        await io.ServerSideEmitAsync("ping", 1);
        var answers = await io.ServerSideEmitWithAckAsync("ping", 1);

        Assert.Empty(answers);
        Assert.Empty(await io.Sockets.AllRoomsAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () => await io.ServerSideEmitAsync("connection"));
    }

    private static async Task<WebApplication> StartAsync(Action<Sockeye.Hosting.ISocketIOBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        configure(builder.Services.AddSocketIO());
        var app = builder.Build();
        app.MapSocketIO(_ => { });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
