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
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Sockeye")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();

        await using var host = await SocketIOTestServer.StartAsync(io => io.OnConnection(s => s.On("ping", ctx => ctx.AckAsync("pong"))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;
        await client.SendAsync("21[\"ping\"]");
        Assert.Equal("31[\"pong\"]", await client.ReceiveAsync());

        using var refused = new EngineTestClient(host, "/socket.io/");
        using var response = await refused.Http.GetAsync("/socket.io/?EIO=4&transport=nope");

        Assert.True(totals.GetValueOrDefault("sockeye.engine.sessions.opened") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.engine.sessions") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.sockets.connected") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.events.received") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.engine.requests.refused") >= 1);
        Assert.True(totals.GetValueOrDefault("sockeye.engine.bytes.received") > 0);
    }
}
