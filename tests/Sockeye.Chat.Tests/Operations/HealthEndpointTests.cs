using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Chat.Operations;
using Sockeye.Chat.Tests.Api;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Operations;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Liveness_is_200_while_the_process_runs_even_when_draining()
    {
        await using var server = await ChatServer.StartAsync();

        using var live = await server.Http.GetAsync("/healthz");
        server.Services.GetRequiredService<DrainState>().BeginDrain();
        using var stillLive = await server.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);
        Assert.Equal("Healthy", (await stillLive.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_is_200_with_the_database_reachable_then_503_once_draining_begins()
    {
        await using var server = await ChatServer.StartAsync();

        using var ready = await server.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.JsonAsync()).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("draining").GetProperty("status").GetString());

        server.Services.GetRequiredService<DrainState>().BeginDrain();

        using var draining = await server.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        var body = await draining.JsonAsync();
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("draining").GetProperty("status").GetString());
    }
}
