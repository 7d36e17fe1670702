using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>
/// A <see cref="SocketIOClient"/> on a WebSocket-only session. The TCP socket is opened here rather than by the HTTP
/// stack, so that a drop can reset it: a real client that loses its network leaves no close frame behind.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Every resource is released when the session ends (CloseAsync or Abort), the only ways a session ends.")]
internal sealed class WebSocketSocketIOClient : SocketIOClient
{
    private const string Path = "/socket.io/?EIO=4&transport=websocket";
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ClientWebSocket _webSocket = new();
    private readonly SocketsHttpHandler _handler;
    private Socket? _socket;
    private Task _receiveLoop = Task.CompletedTask;

    public WebSocketSocketIOClient(ISocketIOClientObserver observer)
        : base(observer)
    {
        _handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false, ConnectCallback = ConnectSocketAsync };

        // The server pings; a client-side keep-alive would only add traffic the soak does not count.
        _webSocket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public override string TransportName => "websocket";

    protected override async Task OpenAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        var uri = new Uri(new UriBuilder(baseUri) { Scheme = "ws" }.Uri, Path);
        using var invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        await _webSocket.ConnectAsync(uri, invoker, cancellationToken).ConfigureAwait(false);
        _receiveLoop = ReceiveLoopAsync();
    }

    protected override async ValueTask SendPacketAsync(ReadOnlyMemory<byte> packet)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _webSocket.SendAsync(packet, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            OnLost("send failed: " + ex.Message);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    protected override async Task<bool> CloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await SendPacketAsync("41"u8.ToArray()).ConfigureAwait(false);
            await _sendLock.WaitAsync(deadline.Token).ConfigureAwait(false);
            try
            {
                if (_webSocket.State == WebSocketState.Open)
                {
                    await _webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            // The server answers the close frame with its own: the receive loop ends then.
            await _receiveLoop.WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            Release(reset: false);
        }
    }

    protected override void Abort(bool reset) => Release(reset);

    private async ValueTask<Stream> ConnectSocketAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        return new NetworkStream(socket, ownsSocket: true);
    }

    private void Release(bool reset)
    {
        if (_socket is { } socket)
        {
            try
            {
                if (reset)
                {
                    // Linger on with a zero timeout: close sends RST instead of FIN and drops anything unsent.
                    socket.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed by the other side.
            }

            socket.Dispose();
        }

        _webSocket.Abort();
        _webSocket.Dispose();
        _handler.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _webSocket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    OnLost($"the server closed the WebSocket ({_webSocket.CloseStatus} {_webSocket.CloseStatusDescription})");
                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                // One Engine.IO packet per frame.
                var length = count;
                count = 0;
                if (!OnPacket(buffer.AsSpan(0, length)))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            OnLost("receive failed: " + ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
