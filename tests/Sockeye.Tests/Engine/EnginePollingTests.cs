using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Sockeye.Engine;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Engine;

public sealed class EnginePollingTests
{
    [Fact]
    public async Task Posted_messages_are_echoed_on_the_next_poll_in_order()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        await client.PostOkAsync(sid, "4hello\u001e4€ unicode 🎉\u001e4");

        Assert.Equal("4hello\u001e4€ unicode 🎉\u001e4", await client.PollAsync(sid));
    }

    [Fact]
    public async Task Post_response_is_ok_as_html()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        using var response = await client.PostAsync(sid, "4x");
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Binary_messages_travel_as_base64_records()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        await client.PostOkAsync(sid, "bAQIDBA==");

        Assert.Equal("bAQIDBA==", await client.PollAsync(sid));
    }

    [Fact]
    public async Task A_pending_poll_is_answered_as_soon_as_a_message_is_queued()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        var poll = client.PollAsync(sid);
        await client.PostOkAsync(sid, "4late");

        Assert.Equal("4late", await poll);
    }

    [Fact]
    public async Task Oversize_post_is_refused_with_413_and_closes_the_session()
    {
        await using var host = await EngineEcho.StartAsync(o => o.MaxHttpBufferSize = 100);
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        using var response = await client.PostAsync(sid, "4" + new string('x', 100));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var after = await client.GetAsync(sid);
        await EngineHandshakeTests.AssertErrorAsync(after, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }

    [Fact]
    public async Task Oversize_chunked_post_is_refused_with_413()
    {
        await using var host = await EngineEcho.StartAsync(o => o.MaxHttpBufferSize = 1000);
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("4" + new string('x', 5000))));
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, client.PollingUrl(sid)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_payload_is_refused_and_closes_only_that_session()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (bad, _) = await client.HandshakeAsync();
        var (good, _) = await client.HandshakeAsync();

        using var response = await client.PostAsync(bad, "4ok\u001ez-not-a-packet");

        await EngineHandshakeTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, 3, "Bad request");
        using var after = await client.GetAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
        await client.PostOkAsync(good, "4still here");
        Assert.Equal("4still here", await client.PollAsync(good));
    }

    [Theory]
    [InlineData("b!!!")]
    [InlineData("")]
    [InlineData("9nine")]
    public async Task Invalid_records_close_the_session_with_a_parse_error(string payload)
    {
        string? reason = null;
        var closed = new TaskCompletionSource();
        await using var host = await EngineEcho.StartAsync(onConnection: s => s.Closed += (_, r, _) => { reason = r; closed.TrySetResult(); });
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        using var response = await client.PostAsync(sid, payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(EngineCloseReasons.ParseError, reason);
    }

    [Fact]
    public async Task Binary_content_type_is_refused_and_closes_the_session()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        var content = new ByteArrayContent([4, 1, 2]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await client.Http.PostAsync(client.PollingUrl(sid), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var after = await client.GetAsync(sid);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Fact]
    public async Task A_second_concurrent_poll_gets_400_and_the_first_gets_close()
    {
        EngineSocket? socket = null;
        await using var host = await EngineEcho.StartAsync(onConnection: s => socket = s);
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        var first = client.GetAsync(sid);
        using var second = await PollUntilOverlappingAsync(client, socket!, first);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(string.Empty, await second.Content.ReadAsStringAsync());
        using var firstResponse = await first;
        Assert.Equal("1", await firstResponse.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_aborted_poll_closes_the_session()
    {
        var closed = new TaskCompletionSource<string>();
        EngineSocket? socket = null;
        await using var host = await EngineEcho.StartAsync(onConnection: s =>
        {
            socket = s;
            s.Closed += (_, r, d) => closed.TrySetResult(r + ": " + d);
        });
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        using var cts = new CancellationTokenSource();

        var poll = client.GetAsync(sid, cts.Token);
        await Eventually.TrueAsync(() => socket!.IsPollPending, "the poll never reached the server");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);

        Assert.Equal("transport error: poll connection closed prematurely", await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Close_packet_from_the_client_closes_the_session()
    {
        var closed = new TaskCompletionSource<string>();
        await using var host = await EngineEcho.StartAsync(onConnection: s => s.Closed += (_, r, _) => closed.TrySetResult(r));
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        await client.PostOkAsync(sid, "1");

        Assert.Equal(EngineCloseReasons.TransportClose, await closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        using var after = await client.GetAsync(sid);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Fact]
    public async Task Server_close_delivers_queued_packets_then_close_to_the_pending_poll()
    {
        EngineSocket? socket = null;
        await using var host = await EngineEcho.StartAsync(onConnection: s => socket = s);
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        socket!.Send(OutboundPacket.TextMessage("bye"));
        socket.Close();

        Assert.Equal("4bye\u001e1", await client.PollAsync(sid));
        using var after = await client.GetAsync(sid);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
        Assert.Equal(EngineCloseReasons.ForcedClose, socket.CloseReason);
    }

    [Fact]
    public async Task Large_responses_are_gzipped_when_the_client_accepts_it()
    {
        await using var host = await EngineEcho.StartAsync();
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        var text = "4" + new string('a', 5000);
        await client.PostOkAsync(sid, text);
        using var request = new HttpRequestMessage(HttpMethod.Get, client.PollingUrl(sid));
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate");

        using var response = await client.Http.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal(text, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Small_responses_and_disabled_compression_are_sent_plain()
    {
        await using var host = await EngineEcho.StartAsync(o => o.HttpCompression = false);
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();
        await client.PostOkAsync(sid, "4" + new string('a', 5000));
        using var request = new HttpRequestMessage(HttpMethod.Get, client.PollingUrl(sid));
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await client.Http.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(5001, (await response.Content.ReadAsStringAsync()).Length);
    }

    [Fact]
    public async Task A_slow_consumer_is_closed_when_its_queue_is_full_without_affecting_others()
    {
        var sockets = new List<EngineSocket>();
        await using var host = await EngineEcho.StartAsync(o => o.MaxOutboundPackets = 5, s => { lock (sockets) sockets.Add(s); });
        using var client = new EngineTestClient(host);
        var (slowSid, _) = await client.HandshakeAsync();
        var (fastSid, _) = await client.HandshakeAsync();
        var slow = sockets.Single(s => s.Id == slowSid);

        var accepted = 0;
        for (var i = 0; i < 10; i++)
        {
            accepted += slow.Send(OutboundPacket.TextMessage("x")) ? 1 : 0;
        }

        Assert.Equal(5, accepted);
        Assert.Equal(EngineCloseReasons.OutboundQueueFull, slow.CloseReason);
        await client.PostOkAsync(fastSid, "4fine");
        Assert.Equal("4fine", await client.PollAsync(fastSid));
    }

    [Fact]
    public async Task Volatile_packets_are_dropped_when_no_poll_is_pending()
    {
        EngineSocket? socket = null;
        await using var host = await EngineEcho.StartAsync(onConnection: s => socket = s);
        using var client = new EngineTestClient(host);
        var (sid, _) = await client.HandshakeAsync();

        Assert.False(socket!.SendVolatile(OutboundPacket.TextMessage("dropped")));
        var poll = client.PollAsync(sid);
        await Eventually.TrueAsync(() => socket.IsPollPending, "the poll never reached the server");
        Assert.True(socket.SendVolatile(OutboundPacket.TextMessage("kept")));

        Assert.Equal("4kept", await poll);
    }

    private static async Task<HttpResponseMessage> PollUntilOverlappingAsync(EngineTestClient client, EngineSocket socket, Task<HttpResponseMessage> first)
    {
        await Eventually.TrueAsync(() => socket.IsPollPending, "the first poll never reached the server");
        Assert.False(first.IsCompleted);
        return await client.GetAsync(socket.Id);
    }
}
