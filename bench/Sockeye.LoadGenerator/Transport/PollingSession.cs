using System.Net.Http.Headers;
using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>
/// A Socket.IO session on HTTP long-polling only: the handshake GET, CONNECT by POST, then one GET always pending
/// (records split on 0x1E) and at most one POST at a time, as the protocol requires.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds nothing to release unless its wait handle is used, which this code never does.")]
internal sealed class PollingSession
{
    private static readonly SocketIOWire s_wire = new();
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly SemaphoreSlim _postLock = new(1, 1);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<PollingSession, long> _onAck;
    private Task _pollLoop = Task.CompletedTask;
    private volatile bool _closing;

    private PollingSession(HttpClient http, Uri uri, Action<PollingSession, long> onAck)
    {
        _http = http;
        _uri = uri;
        _onAck = onAck;
    }

    /// <summary>The request this session's sender waits for.</summary>
    public SemaphoreSlim AckSignal { get; } = new(0);

    public long NextId { get; set; }

    public bool LostUnexpectedly => LostReason is not null;

    /// <summary>Why the session ended before the scenario closed it (for the log), or null.</summary>
    public string? LostReason { get; private set; }

    public static async Task<PollingSession> OpenAsync(HttpClient http, Uri baseUri, Action<PollingSession, long> onAck)
    {
        var open = await http.GetStringAsync(new Uri(baseUri, "/socket.io/?EIO=4&transport=polling")).ConfigureAwait(false);
        const string Marker = "\"sid\":\"";
        var at = open.IndexOf(Marker, StringComparison.Ordinal);
        if (!open.StartsWith('0') || at < 0)
        {
            throw new HttpRequestException("expected the Engine.IO open packet, got: " + open);
        }

        var sid = open[(at + Marker.Length)..open.IndexOf('"', at + Marker.Length)];
        var session = new PollingSession(http, new Uri(baseUri, "/socket.io/?EIO=4&transport=polling&sid=" + sid), onAck);
        await session.PostAsync("40"u8.ToArray()).ConfigureAwait(false);
        session._pollLoop = session.PollLoopAsync();
        await session._connected.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return session;
    }

    public Task SendEchoAsync(long id, ReadOnlyMemory<byte> payload)
    {
        var buffer = new byte[payload.Length + 40];
        var length = s_wire.WriteEcho(buffer, id, payload.Span);
        return PostAsync(buffer.AsMemory(0, length));
    }

    /// <summary>Sends the close packet and waits for the pending poll to end.</summary>
    public async Task CloseAsync()
    {
        _closing = true;
        try
        {
            await PostAsync("1"u8.ToArray()).ConfigureAwait(false);
            await _pollLoop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or TaskCanceledException)
        {
        }
    }

    private async Task PostAsync(ReadOnlyMemory<byte> body)
    {
        await _postLock.WaitAsync().ConfigureAwait(false);
        try
        {
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "UTF-8" };
            using var response = await _http.PostAsync(_uri, content).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && !_closing)
            {
                LostReason ??= $"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}";
            }
        }
        finally
        {
            _postLock.Release();
        }
    }

    private async Task PollLoopAsync()
    {
        try
        {
            while (true)
            {
                using var response = await _http.GetAsync(_uri).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    if (!_closing)
                    {
                        LostReason ??= $"GET answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}";
                    }

                    return;
                }

                var payload = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var start = 0;
                while (start <= payload.Length)
                {
                    var end = Array.IndexOf(payload, (byte)0x1E, start);
                    if (end < 0)
                    {
                        end = payload.Length;
                    }

                    var record = SocketIOWire.Classify(payload.AsSpan(start, end - start));
                    switch (record.Kind)
                    {
                        case RecordKind.Ping:
                            _ = PostAsync("3"u8.ToArray());
                            break;
                        case RecordKind.Ack:
                            _onAck(this, record.AckId);
                            break;
                        case RecordKind.Close:
                            if (!_closing)
                            {
                                LostReason ??= "the server sent close";
                            }

                            return;
                        case RecordKind.Other when end - start >= 2 && payload[start] == (byte)'4' && payload[start + 1] == (byte)'0':
                            _connected.TrySetResult();
                            break;
                    }

                    start = end + 1;
                }
            }
        }
        catch (HttpRequestException) when (_closing)
        {
        }
        catch (HttpRequestException ex)
        {
            LostReason ??= "GET failed: " + ex.Message;
            _connected.TrySetException(ex);
        }
    }
}
