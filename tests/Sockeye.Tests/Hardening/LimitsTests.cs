using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Engine;
using Sockeye.Tests.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Hardening;

public sealed class LimitsTests
{
    [Fact]
    public async Task Handshakes_beyond_MaxSessions_get_503_and_existing_sessions_keep_working()
    {
        await using var host = await EngineEcho.StartAsync(o => o.MaxSessions = 2);
        using var client = new EngineTestClient(host);
        var (first, _) = await client.HandshakeAsync();
        await client.HandshakeAsync();

        using var refused = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");

        await EngineHandshakeTests.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, 3, "Server full");
        await client.PostOkAsync(first, "4still here");
        Assert.Equal("4still here", await client.PollAsync(first));
    }

    [Fact]
    public async Task Handshakes_in_progress_beyond_MaxConcurrentHandshakes_get_503_and_the_slots_come_back()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = 0;
        var holding = true;
        await using var host = await EngineEcho.StartAsync(o =>
        {
            o.MaxConcurrentHandshakes = 2;
            o.AllowRequest = async _ =>
            {
                // A slow admission check (a token introspection, a database lookup) holds the handshake in progress.
                if (Volatile.Read(ref holding))
                {
                    Interlocked.Increment(ref waiting);
                    await gate.Task;
                }

                return AllowRequestResult.Allow;
            };
        });
        using var client = new EngineTestClient(host);
        var slow = new[] { client.HandshakeAsync(), client.HandshakeAsync() };
        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 2, "both handshakes reached the admission check");

        using var refused = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");
        await EngineHandshakeTests.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, 3, "Too many handshakes in progress");

        Volatile.Write(ref holding, false);
        gate.SetResult();
        var opened = await Task.WhenAll(slow);
        Assert.All(opened, o => Assert.Equal(20, o.Sid.Length));

        // Both slots are free again: two more handshakes at once are admitted.
        var again = await Task.WhenAll(client.HandshakeAsync(), client.HandshakeAsync());
        Assert.All(again, o => Assert.Equal(20, o.Sid.Length));
        await client.PostOkAsync(opened[0].Sid, "4still here");
        Assert.Equal("4still here", await client.PollAsync(opened[0].Sid));
    }

    [Fact]
    public async Task Sessions_per_address_are_capped_and_the_slot_comes_back_when_a_session_closes()
    {
        await using var host = await EngineEcho.StartAsync(o => o.MaxSessionsPerAddress = 2);
        using var client = new EngineTestClient(host);
        var (first, _) = await client.HandshakeAsync();
        await client.HandshakeAsync();

        using var refused = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");
        await EngineHandshakeTests.AssertErrorAsync(refused, HttpStatusCode.Forbidden, 4, "Too many sessions from this address");

        // The client's close packet removes the session before the POST is answered.
        await client.PostOkAsync(first, "1");
        using var accepted = await client.Http.GetAsync("/engine.io/?EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_stalled_polling_post_is_cut_off_without_affecting_other_sessions()
    {
        var closed = new TaskCompletionSource<string>();
        await using var host = await TestHost.StartAsync(
            services =>
            {
                services.AddEngineIO(o => o.DrainTimeout = TimeSpan.FromMilliseconds(300));
                services.Configure<KestrelServerOptions>(o => o.Limits.MinRequestBodyDataRate = new MinDataRate(100, TimeSpan.FromSeconds(1.1)));
            },
            app => app.MapEngineIO("/engine.io", s =>
            {
                s.MessageReceived += EngineEcho.Echo;
                s.Closed += (_, reason, description) => closed.TrySetResult($"{reason}: {description}");
            }));
        using var client = new EngineTestClient(host);
        var (stalled, _) = await client.HandshakeAsync();
        var (healthy, _) = await client.HandshakeAsync();

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST /engine.io/?EIO=4&transport=polling&sid={stalled} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n4partial";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        Assert.Equal("transport error: POST body not received", await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await client.PostOkAsync(healthy, "4fine");
        Assert.Equal("4fine", await client.PollAsync(healthy));
    }

    [Fact]
    public async Task Namespace_names_with_control_characters_or_excessive_length_are_invalid()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.Of(new Regex("^/dyn")).OnConnection(_ => { }));
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.SendAsync("0/dyn\u0001x,");
        Assert.StartsWith("4/dyn\u0001x,{\"message\":\"Invalid namespace\"", await client.ReceiveAsync());

        var longName = "/dyn" + new string('x', 300);
        await client.SendAsync("0" + longName + ",");
        Assert.Equal("4" + longName + ",{\"message\":\"Invalid namespace\"}", await client.ReceiveAsync());
        Assert.DoesNotContain(host.Io().Namespaces, n => n.Name.Length > 256);
    }

    [Fact]
    public async Task Dynamic_namespaces_stop_being_created_at_the_cap()
    {
        await using var host = await SocketIOTestServer.StartAsync(io => io.Of(new Regex("^/room-\\d+$")).OnConnection(_ => { }), o => o.MaxDynamicNamespaces = 2);
        await using var client = await RawSocketIOClient.OpenAsync(host);

        await client.JoinAsync("/room-1");
        await client.JoinAsync("/room-2");
        await client.SendAsync("0/room-3,");

        Assert.Equal("4/room-3,{\"message\":\"Invalid namespace\"}", await client.ReceiveAsync());
        Assert.Equal(2, host.Io().Namespaces.Count(n => n.Name.StartsWith("/room-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Joining_beyond_MaxRoomsPerSocket_throws_a_clear_error()
    {
        var error = new TaskCompletionSource<Exception>();
        await using var host = await SocketIOTestServer.StartAsync(
            io => io.OnConnection(s =>
            {
                s.Join(["a", "b"]);
                try
                {
                    s.Join("c");
                }
                catch (InvalidOperationException ex)
                {
                    error.SetResult(ex);
                }
            }),
            o => o.MaxRoomsPerSocket = 3);
        var (client, id) = await RawSocketIOClient.ConnectAsync(host);
        await using var _ = client;

        Assert.Contains("MaxRoomsPerSocket", (await error.Task.WaitAsync(TimeSpan.FromSeconds(5))).Message);
        Assert.Equal(3, host.Io().Sockets.Sockets[id].Rooms.Count);
    }

    [Fact]
    public async Task Acks_awaited_beyond_MaxPendingAcks_fail_at_once_and_the_socket_stays_connected()
    {
        var outcome = new TaskCompletionSource<(Task Third, Socket Socket)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await SocketIOTestServer.StartAsync(
            io => io.OnConnection(s =>
            {
                // The raw client never answers: the first two stay pending, the third is refused without waiting.
                _ = s.EmitWithAckAsync("question", 1);
                _ = s.EmitWithAckAsync("question", 2);
                outcome.SetResult((s.EmitWithAckAsync("question", 3), s));
            }),
            o => o.MaxPendingAcks = 2);
        var (client, _) = await RawSocketIOClient.ConnectAsync(host);
        await using var connection = client;

        var (third, socket) = await outcome.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => third.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("MaxPendingAcks", error.Message);
        Assert.True(socket.Connected);
    }
}
