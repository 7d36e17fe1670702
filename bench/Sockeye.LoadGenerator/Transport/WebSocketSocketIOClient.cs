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
            await WebSocketClosing.CloseOutputAsync(_webSocket, _sendLock, deadline.Token).ConfigureAwait(false);
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
        var socket = await ClientSocket.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
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
        using var messages = new MessageBuffer(4096);
        try
        {
            while (true)
            {
                // One Engine.IO packet per frame.
                var length = await messages.ReceiveAsync(_webSocket).ConfigureAwait(false);
                if (length < 0)
                {
                    OnLost($"the server closed the WebSocket ({_webSocket.CloseStatus} {_webSocket.CloseStatusDescription})");
                    return;
                }

                if (!OnPacket(messages.Message(length)))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            OnLost("receive failed: " + ex.Message);
        }
    }
}
