using System.Diagnostics;
using System.Net;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

public sealed class EngineHeartbeatTests
{
    [Fact]
    public async Task Server_pings_after_the_interval_and_a_pong_keeps_the_session()
    {
        await using var host = await EngineEcho.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PingTimeout = TimeSpan.FromMilliseconds(300);
        });
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("2", await client.PollAsync(sid));
            await client.PostOkAsync(sid, "3");
        }

        await client.PostOkAsync(sid, "4alive");
        Assert.Equal("4alive", await client.PollAsync(sid));
    }

    [Fact]
    public async Task Missing_pong_closes_the_session_at_interval_plus_timeout()
    {
        var closed = new TaskCompletionSource<string>();
        await using var host = await EngineEcho.StartAsync(
            o =>
            {
                o.PingInterval = TimeSpan.FromMilliseconds(300);
                o.PingTimeout = TimeSpan.FromMilliseconds(200);
            },
            s => s.Closed += (_, r, _) => closed.TrySetResult(r));
        using var client = new EngineTestClient(host);
        var clock = Stopwatch.StartNew();
        var (sid, _) = await client.HandshakeAsync();

        Assert.Equal("2", await client.PollAsync(sid));
        var pingAt = clock.Elapsed;
        Assert.Equal(EngineCloseReasons.PingTimeout, await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        var closedAt = clock.Elapsed;

        Assert.InRange(pingAt.TotalMilliseconds, 280, 1000);
        Assert.InRange(closedAt.TotalMilliseconds, 480, 1200);
        using var after = await client.GetAsync(sid);
        await EngineHandshakeTests.AssertErrorAsync(after, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }
}
