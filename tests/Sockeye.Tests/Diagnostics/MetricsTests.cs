using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Diagnostics;

public sealed class MetricsTests
{
    [Fact]
    public async Task Engine_and_socket_instruments_count_what_happens_on_the_wire()
    {
        var totals = new ConcurrentDictionary<string, long>();
        object? scope = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Sockeye")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            // Other tests run their own servers in parallel: count only this server's meter.
            if (ReferenceEquals(instrument.Meter.Scope, Volatile.Read(ref scope)))
            {
                totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
            }
        });
        listener.Start();

        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s => s.On("ping", ctx => ctx.AckAsync("pong"))));
        Volatile.Write(ref scope, host.Services.GetService(typeof(IMeterFactory)));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;
        await client.SendAsync("21[\"ping\"]");
        Assert.Equal("31[\"pong\"]", await client.ReceiveAsync());

        using var refused = new EngineTestClient(host, "/socket.io/");
        using var response = await refused.Http.GetAsync("/socket.io/?EIO=4&transport=nope");

        Assert.True(totals.GetValueOrDefault("sockeye.engine.sessions.opened") >= 1);
        Assert.Equal(1, totals.GetValueOrDefault("sockeye.engine.sessions"));
        Assert.True(totals.GetValueOrDefault("sockeye.sockets.connected") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.events.received") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.engine.requests.refused") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.engine.bytes.received") > 0);
    }
}
