using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>
/// A <see cref="SocketIOClient"/> on HTTP long-polling only: one GET always pending (records split on 0x1E), at most
/// one POST at a time, as the protocol requires. Its own connection pool, with sockets opened here, so that a drop
/// can cut exactly this client's connections, the pending GET included.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Every resource is released when the session ends (CloseAsync or Abort), the only ways a session ends.")]
internal sealed class PollingSocketIOClient : SocketIOClient
{
    private const byte RecordSeparator = 0x1E;
    private readonly SemaphoreSlim _postLock = new(1, 1);
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Socket> _sockets = [];
    private readonly HttpClient _http;
    private Uri? _sessionUri;
    private Task _pollLoop = Task.CompletedTask;

    public PollingSocketIOClient(ISocketIOClientObserver observer)
        : base(observer)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = ConnectSocketAsync,
        };

        // A pending GET lasts up to the ping interval (25 s by default).
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public override string TransportName => "polling";

    protected override async Task OpenAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
        var open = await _http.GetStringAsync(new Uri(baseUri, "/socket.io/?EIO=4&transport=polling"), linked.Token).ConfigureAwait(false);
        const string Marker = "\"sid\":\"";
        var at = open.IndexOf(Marker, StringComparison.Ordinal);
        if (!open.StartsWith('0') || at < 0)
        {
            throw new IOException("expected the Engine.IO open packet, got: " + open);
        }

        var sid = open[(at + Marker.Length)..open.IndexOf('"', at + Marker.Length)];
        _sessionUri = new Uri(baseUri, "/socket.io/?EIO=4&transport=polling&sid=" + sid);
        _pollLoop = PollLoopAsync(_sessionUri);
    }

    protected override async ValueTask SendPacketAsync(ReadOnlyMemory<byte> packet)
    {
        try
        {
            await _postLock.WaitAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            using var content = new ReadOnlyMemoryContent(packet);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "UTF-8" };
            using var response = await _http.PostAsync(_sessionUri, content, _abort.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                OnLost($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            OnLost("POST failed: " + ex.Message);
        }
        finally
        {
            _postLock.Release();
        }
    }

    protected override async Task<bool> CloseAsync(TimeSpan timeout)
    {
        try
        {
            // socket.disconnect(): leave the namespace, then close the engine session; the pending GET then ends.
            await SendPacketAsync(Encoding.ASCII.GetBytes("41\u001e1")).ConfigureAwait(false);
            await _pollLoop.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Abort(reset: false);
        }
    }

    protected override void Abort(bool reset)
    {
        _abort.Cancel();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                if (reset)
                {
                    try
                    {
                        // Linger on with a zero timeout: close sends RST instead of FIN.
                        socket.LingerState = new LingerOption(true, 0);
                    }
                    catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                    {
                    }
                }

                socket.Dispose();
            }

            _sockets.Clear();
        }

        _http.Dispose();
    }

    private async ValueTask<Stream> ConnectSocketAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = await ClientSocket.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        lock (_sockets)
        {
            _sockets.Add(socket);
        }

        return new NetworkStream(socket, ownsSocket: true);
    }

    private async Task PollLoopAsync(Uri sessionUri)
    {
        try
        {
            while (true)
            {
                using var response = await _http.GetAsync(sessionUri, _abort.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    OnLost($"GET answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                    return;
                }

                var payload = await response.Content.ReadAsByteArrayAsync(_abort.Token).ConfigureAwait(false);
                var start = 0;
                while (start < payload.Length)
                {
                    var end = Array.IndexOf(payload, RecordSeparator, start);
                    if (end < 0)
                    {
                        end = payload.Length;
                    }

                    if (!OnPacket(payload.AsSpan(start, end - start)))
                    {
                        return;
                    }

                    start = end + 1;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            OnLost("GET failed: " + ex.Message);
        }
    }
}
