using System.Net.WebSockets;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

/// <summary>
/// The WebSocket writer is claimed by whichever thread queues a packet while nobody writes: these specify that the
/// claim never interleaves, reorders or loses packets.
/// </summary>
public sealed class EngineWriterTests
{
    [Fact]
    public async Task Packets_sent_concurrently_from_many_threads_all_arrive_each_senders_in_order()
    {
        const int Senders = 8;
        const int PerSender = 2000;
        var connected = new TaskCompletionSource<EngineSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineEcho.StartAsync(
            o => o.MaxOutboundPackets = Senders * PerSender + 10,
            onConnection: s => connected.TrySetResult(s));
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();
        var session = await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        using var start = new Barrier(Senders);
        var threads = Enumerable.Range(0, Senders).Select(sender => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerSender; i++)
            {
                Assert.True(session.Send(OutboundPacket.TextMessage($"{sender}:{i}")));
            }
        })).ToList();
        threads.ForEach(t => t.Start());

        var next = new int[Senders];
        for (var received = 0; received < Senders * PerSender; received++)
        {
            var text = await ws.ReceiveTextAsync();
            Assert.StartsWith("4", text);
            var parts = text[1..].Split(':');
            var sender = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(next[sender], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            next[sender]++;
        }

        threads.ForEach(t => t.Join());
        Assert.All(next, n => Assert.Equal(PerSender, n));
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task Header_and_attachments_sent_together_are_never_split_by_other_senders()
    {
        const int Groups = 500;
        var connected = new TaskCompletionSource<EngineSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineEcho.StartAsync(
            o => o.MaxOutboundPackets = Groups * 4 + 10,
            onConnection: s => connected.TrySetResult(s));
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();
        var session = await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var grouped = Task.Run(() =>
        {
            for (var i = 0; i < Groups; i++)
            {
                session.Send([OutboundPacket.TextMessage($"g{i}"), OutboundPacket.BinaryMessage(new byte[] { 1, (byte)i }), OutboundPacket.BinaryMessage(new byte[] { 2, (byte)i })]);
            }
        });
        var single = Task.Run(() =>
        {
            for (var i = 0; i < Groups; i++)
            {
                session.Send(OutboundPacket.TextMessage($"s{i}"));
            }
        });

        var groupsSeen = 0;
        for (var received = 0; received < Groups * 4; received++)
        {
            var (type, data) = await ws.ReceiveMessageAsync();
            Assert.Equal(WebSocketMessageType.Text, type);
            var text = System.Text.Encoding.UTF8.GetString(data);
            if (!text.StartsWith("4g", StringComparison.Ordinal))
            {
                continue;
            }

            var index = (byte)int.Parse(text[2..], System.Globalization.CultureInfo.InvariantCulture);
            var first = await ws.ReceiveMessageAsync();
            var second = await ws.ReceiveMessageAsync();
            received += 2;
            Assert.Equal(new byte[] { 1, index }, first.Data);
            Assert.Equal(new byte[] { 2, index }, second.Data);
            groupsSeen++;
        }

        await Task.WhenAll(grouped, single);
        Assert.Equal(Groups, groupsSeen);
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_hold_up_the_senders_and_is_cut_off_by_the_queue_bound()
    {
        var connected = new TaskCompletionSource<EngineSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineEcho.StartAsync(
            o => o.MaxOutboundPackets = 64,
            onConnection: s =>
            {
                s.Closed += (_, reason, _) => closed.TrySetResult(reason);
                connected.TrySetResult(s);
            });
        using var client = new EngineTestClient(host);
        using var ws = await client.ConnectWebSocketAsync();
        await ws.ReceiveTextAsync();
        var session = await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var payload = new string('x', 64 * 1024);

        // The client never reads again: the socket buffers fill, a write stays pending, the queue grows to its bound.
        var sent = 0;
        while (session.Send(OutboundPacket.TextMessage(payload)))
        {
            sent++;
            Assert.True(sent < 100_000, "the queue bound never took effect");
        }

        Assert.Equal(EngineCloseReasons.OutboundQueueFull, await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(session.IsOpen);
    }
}
