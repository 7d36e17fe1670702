using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Hardening;

/// <summary>
/// Clients that stop reading — a polling GET whose response is never read, a WebSocket whose reader stalled — are cut
/// off by the heartbeat and the transport's timeouts: their session closes, their request ends, and other sessions are
/// served throughout.
/// </summary>
public sealed class StalledReaderTests
{
    private const int BigPacket = 512 * 1024;

    [Fact]
    public async Task A_polling_get_whose_response_is_never_read_is_cut_off_and_others_keep_working()
    {
        var sessions = new System.Collections.Concurrent.ConcurrentDictionary<string, EngineSocket>();
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pollEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? stalledSid = null;
        await using var host = await TestHost.StartAsync(
            services =>
            {
                services.AddEngineIO(o =>
                {
                    // Short enough for a quick test, long enough that the live session's pongs arrive in time on a busy
                    // machine.
                    o.PingInterval = TimeSpan.FromSeconds(1);
                    o.PingTimeout = TimeSpan.FromSeconds(1);
                    o.MaxOutboundPackets = 1000;
                });
                services.Configure<KestrelServerOptions>(o => o.Limits.MinResponseDataRate = new MinDataRate(1000, TimeSpan.FromSeconds(1.1)));
            },
            app =>
            {
                app.Use(async (context, next) =>
                {
                    try
                    {
                        await next(context);
                    }
                    finally
                    {
                        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Query["sid"] == Volatile.Read(ref stalledSid))
                        {
                            pollEnded.TrySetResult();
                        }
                    }
                });
                app.MapEngineIO("/engine.io", s =>
                {
                    sessions[s.Id] = s;
                    s.MessageReceived += EngineEcho.Echo;
                    s.Closed += (socket, reason, _) =>
                    {
                        if (socket.Id == Volatile.Read(ref stalledSid))
                        {
                            closed.TrySetResult(reason);
                        }
                    };
                });
            });
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        var (other, _) = await client.HandshakeAsync();
        Volatile.Write(ref stalledSid, sid);

        // Another session is served throughout: a live client that keeps polling and answers every ping.
        var messages = System.Threading.Channels.Channel.CreateUnbounded<string>();
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var record in (await client.PollAsync(other, stop.Token)).Split(EngineTestClient.Separator))
                {
                    if (record == "2")
                    {
                        await client.PostOkAsync(other, "3");
                    }
                    else if (record.Length > 0 && record != "6")
                    {
                        await messages.Writer.WriteAsync(record);
                    }
                }
            }
        });

        // Far more than the socket buffers hold, waiting for the next GET.
        var chunk = new string('x', BigPacket);
        for (var i = 0; i < 32; i++)
        {
            Assert.True(sessions[sid].Send(OutboundPacket.TextMessage(chunk)));
        }

        // The GET is sent and its response never read, with a small receive window.
        using var raw = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await raw.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        await raw.SendAsync(Encoding.ASCII.GetBytes($"GET {client.PollingUrl(sid)} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n\r\n"));

        await client.PostOkAsync(other, "4still served");
        Assert.Equal("4still served", await messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(EngineCloseReasons.PingTimeout, await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await pollEnded.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(sessions[sid].IsOpen);
        await client.PostOkAsync(other, "4after");
        Assert.Equal("4after", await messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await stop.CancelAsync();
        try
        {
            await poller;
        }
        catch (OperationCanceledException)
        {
            // The pending poll was cancelled by the test's end.
        }
    }

    [Fact]
    public async Task A_websocket_whose_reader_stalled_is_closed_by_the_heartbeat_and_others_keep_working()
    {
        var connected = new System.Collections.Concurrent.ConcurrentQueue<EngineSocket>();
        var closed = new TaskCompletionSource<(string Sid, string Reason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineEcho.StartAsync(
            o =>
            {
                o.PingInterval = TimeSpan.FromMilliseconds(400);
                o.PingTimeout = TimeSpan.FromMilliseconds(400);
                o.MaxOutboundPackets = 1000;
            },
            onConnection: s =>
            {
                connected.Enqueue(s);
                s.Closed += (socket, reason, _) => closed.TrySetResult((socket.Id, reason));
            });
        using var client = new EngineTestClient(host);
        using var stalled = await client.ConnectWebSocketAsync(configure: o => o.SetBuffer(4096, 4096));
        await stalled.ReceiveTextAsync();
        Assert.True(connected.TryDequeue(out var session));

        // The stalled client never reads again: its writer blocks on full socket buffers, below the queue bound.
        var chunk = new string('x', BigPacket);
        for (var i = 0; i < 32; i++)
        {
            Assert.True(session!.Send(OutboundPacket.TextMessage(chunk)));
        }

        // A healthy client, answering pings as engine.io-client does, is served throughout.
        using var healthy = await client.ConnectWebSocketAsync();
        await healthy.ReceiveTextAsync();
        var echoed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            while (true)
            {
                var text = await healthy.ReceiveTextAsync(TimeSpan.FromSeconds(20));
                if (text == "2")
                {
                    await healthy.SendTextAsync("3");
                }
                else
                {
                    echoed.TrySetResult(text);
                    return;
                }
            }
        });

        var (sid, reason) = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(session!.Id, sid);
        Assert.Equal(EngineCloseReasons.PingTimeout, reason);

        await healthy.SendTextAsync("4still served");
        Assert.Equal("4still served", await echoed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await reader;
    }
}
