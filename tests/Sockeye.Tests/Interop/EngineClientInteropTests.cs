using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Interop;

/// <summary>The official engine.io-client 6.6 from npm against a Sockeye echo endpoint.</summary>
public sealed class EngineClientInteropTests
{
    [Theory]
    [InlineData("polling", "polling")]
    [InlineData("websocket", "websocket")]
    [InlineData("polling,websocket", "websocket")]
    public async Task Text_and_binary_echo_of_many_sizes(string transports, string finalTransport)
    {
        await using var host = await EngineEcho.StartAsync();
        await using var script = NodeScript.Start("engine-client.mjs", "echo", host.BaseAddress.ToString(), transports);

        var done = await script.ExpectAsync("done", TimeSpan.FromSeconds(60));

        Assert.Equal(transports.Split(',')[0], done.GetProperty("initial").GetString());
        Assert.Equal(finalTransport, done.GetProperty("final").GetString());
        Assert.Equal(9, done.GetProperty("checked").GetInt32());
        Assert.Equal(0, await script.WaitForExitAsync());
    }

    [Fact]
    public async Task Two_hundred_concurrent_clients_each_get_their_own_echo()
    {
        await using var host = await EngineEcho.StartAsync();
        await using var script = NodeScript.Start("engine-client.mjs", "many", host.BaseAddress.ToString(), "200");

        var done = await script.ExpectAsync("done", TimeSpan.FromSeconds(60));

        Assert.Equal(200, done.GetProperty("ok").GetInt32());
        Assert.Equal(200, done.GetProperty("ids").GetInt32());
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Server_initiated_close_reaches_the_client(string transport)
    {
        await using var host = await EngineEcho.StartAsync(onConnection: s => s.MessageReceived += (socket, p) =>
        {
            if (!p.IsBinary && p.Data.Span.SequenceEqual("close-me"u8))
            {
                socket.Close();
            }
        });
        await using var script = NodeScript.Start("engine-client.mjs", "server-close", host.BaseAddress.ToString(), transport);

        var done = await script.ExpectAsync("done");

        Assert.Equal("transport close", done.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Client_reconnects_after_the_server_restarts_on_the_same_port()
    {
        var host = await EngineEcho.StartAsync();
        var port = host.BaseAddress.Port;
        await using var script = NodeScript.Start("engine-client.mjs", "reconnect", host.BaseAddress.ToString());
        var first = await script.ExpectAsync("connected");

        await host.DisposeAsync();
        Assert.Equal("transport close", (await script.ExpectAsync("disconnected")).GetProperty("reason").GetString());

        await using var restarted = await TestHost.StartAsync(
            services => services.AddEngineIO(o => o.DrainTimeout = TimeSpan.FromMilliseconds(300)),
            app => app.MapEngineIO("/engine.io", s => s.MessageReceived += EngineEcho.Echo),
            port);
        await script.SendAsync("go");

        var reconnected = await script.ExpectAsync("reconnected");
        Assert.Equal("after restart", reconnected.GetProperty("echo").GetString());
        Assert.NotEqual(first.GetProperty("sid").GetString(), reconnected.GetProperty("sid").GetString());
    }
}
