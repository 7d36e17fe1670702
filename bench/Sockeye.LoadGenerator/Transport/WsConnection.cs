using System.Buffers;
using System.Net.WebSockets;
using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>Writes one request into the connection's send buffer; returns its length.</summary>
internal delegate int FrameWriter<TState>(Span<byte> destination, WireProtocol wire, TState state);

/// <summary>
/// One client WebSocket session: the application handshake, then one receive loop that splits frames into records
/// and hands them to the scenario, and sends serialized by a lock (a pong from the receive loop may meet a request
/// from a pacer). Buffers come from the shared pool and grow only when a message needs it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds nothing to release unless its wait handle is used, which this code never does.")]
internal sealed class WsConnection
{
    private const int InitialReceiveBuffer = 1024;
    private const int SendBufferSize = 16 * 1024;
    private readonly ClientWebSocket _webSocket;
    private readonly WireProtocol _wire;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[]? _sendBuffer;
    private Task _receiveLoop = Task.CompletedTask;
    private int _closing;

    private WsConnection(ClientWebSocket webSocket, WireProtocol wire, int index)
    {
        _webSocket = webSocket;
        _wire = wire;
        Index = index;
    }

    /// <summary>The position of this connection in its scenario.</summary>
    public int Index { get; }

    /// <summary>Whether the server ended the session or the socket failed before the scenario closed it.</summary>
    public bool LostUnexpectedly { get; private set; }

    /// <summary>A per-connection slot for the scenario.</summary>
    public object? State { get; set; }

    public static async Task<WsConnection> ConnectAsync(Uri baseUri, WireProtocol wire, int index, CancellationToken cancellationToken)
    {
        var webSocket = new ClientWebSocket();
        webSocket.Options.KeepAliveInterval = TimeSpan.Zero;
        webSocket.Options.SetBuffer(InitialReceiveBuffer, 1024);
        var uri = new UriBuilder(baseUri) { Scheme = "ws" }.Uri;
        try
        {
            await webSocket.ConnectAsync(new Uri(uri, wire.WebSocketPath), cancellationToken).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                await wire.HandshakeAsync(webSocket, buffer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return new WsConnection(webSocket, wire, index);
        }
        catch
        {
            webSocket.Abort();
            webSocket.Dispose();
            throw;
        }
    }

    /// <summary>Starts the receive loop.</summary>
    public void Start(IRecordHandler handler) => _receiveLoop = ReceiveLoopAsync(handler);

    /// <summary>Sends one request written by <paramref name="write"/>.</summary>
    public async ValueTask SendAsync<TState>(FrameWriter<TState> write, TState state)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _sendBuffer ??= ArrayPool<byte>.Shared.Rent(SendBufferSize);
            var length = write(_sendBuffer, _wire, state);
            await _webSocket.SendAsync(_sendBuffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            MarkLost();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends bytes as they are (pongs, keep-alives).</summary>
    public ValueTask SendRawAsync(ReadOnlyMemory<byte> frame) =>
        SendAsync(static (destination, _, bytes) =>
        {
            bytes.Span.CopyTo(destination);
            return bytes.Length;
        }, frame);

    /// <summary>Closes the WebSocket (close handshake, then abort if the server does not answer in time).</summary>
    public async Task CloseAsync()
    {
        Volatile.Write(ref _closing, 1);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await WebSocketClosing.CloseOutputAsync(_webSocket, _sendLock, timeout.Token).ConfigureAwait(false);
            await _receiveLoop.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or TimeoutException)
        {
            _webSocket.Abort();
        }
        finally
        {
            _webSocket.Dispose();
            if (_sendBuffer is { } buffer)
            {
                _sendBuffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task ReceiveLoopAsync(IRecordHandler handler)
    {
        using var messages = new MessageBuffer(InitialReceiveBuffer);
        try
        {
            while (true)
            {
                var length = await messages.ReceiveAsync(_webSocket).ConfigureAwait(false);
                if (length < 0)
                {
                    MarkLost();
                    return;
                }

                var position = 0;
                while (_wire.TryReadRecord(messages.Message(length), ref position, out var record))
                {
                    switch (record.Kind)
                    {
                        case RecordKind.Ping:
                            await SendRawAsync(_wire.Pong).ConfigureAwait(false);
                            break;
                        case RecordKind.Ack:
                            await handler.OnAckAsync(this, record.AckId).ConfigureAwait(false);
                            break;
                        case RecordKind.Event:
                            handler.OnEvent(this, messages.Message(length).Slice(record.Start, record.Length));
                            break;
                        case RecordKind.Close:
                            MarkLost();
                            return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            MarkLost();
        }
    }

    private void MarkLost()
    {
        if (Volatile.Read(ref _closing) == 0)
        {
            LostUnexpectedly = true;
        }
    }
}
