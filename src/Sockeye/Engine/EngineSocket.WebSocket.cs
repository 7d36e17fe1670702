using System.Buffers;
using System.Net.WebSockets;
using Sockeye.Diagnostics;
using Sockeye.Protocol.EngineIO;

namespace Sockeye.Engine;

public sealed partial class EngineSocket
{
    private const int InitialReceiveBuffer = 4096;
    private static readonly byte[] s_probe = "probe"u8.ToArray();
    private static readonly byte[] s_pongProbe = "3probe"u8.ToArray();
    private WebSocket? _webSocket;
    private WebSocket? _probe;
    private ITimer? _probeTimer;

    /// <summary>Whether a WebSocket may take this session over now.</summary>
    internal bool CanUpgrade
    {
        get
        {
            lock (_lock)
            {
                return _state == EngineSocketState.Open && !IsWebSocket && _probe is null;
            }
        }
    }

    /// <summary>Runs a session that started on WebSocket (no polling phase) until the socket closes.</summary>
    internal async Task RunWebSocketAsync(WebSocket webSocket)
    {
        lock (_lock)
        {
            _webSocket = webSocket;
        }

        var writer = RunWriterAsync(webSocket);
        await ReceiveAsync(webSocket, probing: false).ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        await FinishCloseHandshakeAsync(webSocket).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the WebSocket of an upgrade: the probe exchange, then, once the client sends <c>upgrade</c>, the session
    /// itself until the socket closes.
    /// </summary>
    internal async Task RunUpgradeAsync(WebSocket webSocket)
    {
        lock (_lock)
        {
            if (_state != EngineSocketState.Open || IsWebSocket || _probe is not null)
            {
                webSocket.Abort();
                return;
            }

            _probe = webSocket;
            _probeTimer = _server.TimeProvider.CreateTimer(
                static s =>
                {
                    var socket = (EngineSocket)s!;
                    EngineLog.UpgradeTimedOut(socket.Logger, socket.Id);
                    lock (socket._lock)
                    {
                        socket.AbortProbeLocked();
                    }
                },
                this,
                Options.UpgradeTimeout,
                Timeout.InfiniteTimeSpan);
        }

        var writer = await ReceiveAsync(webSocket, probing: true).ConfigureAwait(false);
        if (writer is not null)
        {
            await writer.ConfigureAwait(false);
        }

        await FinishCloseHandshakeAsync(webSocket).ConfigureAwait(false);
    }

    /// <summary>Reads frames until the socket closes; returns the writer loop when an upgrade completed.</summary>
    private async Task<Task?> ReceiveAsync(WebSocket webSocket, bool probing)
    {
        var max = Options.MaxHttpBufferSize;
        byte[]? buffer = null;
        var count = 0;
        Task? writer = null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Between messages, wait with a zero-byte read: an idle connection then holds no receive buffer,
                    // which is most of what an idle connection would otherwise cost.
                    var peek = await webSocket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                    if (peek.MessageType == WebSocketMessageType.Close)
                    {
                        if (probing)
                        {
                            EndProbe(webSocket);
                        }
                        else
                        {
                            CloseAbruptly(EngineCloseReasons.TransportClose, "client closed the WebSocket");
                        }

                        return writer;
                    }

                    buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialReceiveBuffer, max + 1));
                }
                else if (count == buffer.Length)
                {
                    // Grow up to one byte past the limit, so an oversize message is seen without reading all of it.
                    var next = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                    buffer.AsSpan(0, count).CopyTo(next);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = next;
                }

                var result = await webSocket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (probing)
                    {
                        EndProbe(webSocket);
                    }
                    else
                    {
                        CloseAbruptly(EngineCloseReasons.TransportClose, "client closed the WebSocket");
                    }

                    return writer;
                }

                count += result.Count;
                if (count > max)
                {
                    EngineLog.ProtocolViolation(Logger, Id, $"WebSocket message over {max} bytes");
                    await CloseWebSocketQuietlyAsync(webSocket, WebSocketCloseStatus.MessageTooBig, "message too big").ConfigureAwait(false);
                    CloseAbruptly(EngineCloseReasons.TransportError, "message too big");
                    return writer;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var data = buffer.AsMemory(0, count);
                count = 0;
                Metrics.BytesReceived(data.Length);
                EnginePacket packet;
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    packet = EnginePacket.Binary(data);
                }
                else if (!EnginePacketCodec.TryDecodeText(data, out packet, out var error))
                {
                    EngineLog.ProtocolViolation(Logger, Id, error!);
                    if (probing)
                    {
                        EndProbe(webSocket);
                    }
                    else
                    {
                        CloseAbruptly(EngineCloseReasons.ParseError, error);
                    }

                    return writer;
                }

                if (!probing)
                {
                    Dispatch(packet);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    continue;
                }

                switch (await OnProbePacketAsync(webSocket, packet).ConfigureAwait(false))
                {
                    case ProbeStep.Continue:
                        break;
                    case ProbeStep.Upgraded:
                        probing = false;
                        writer = RunWriterAsync(webSocket);
                        OnUpgraded();
                        break;
                    default:
                        EndProbe(webSocket);
                        return writer;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            if (probing)
            {
                EndProbe(webSocket);
            }
            else
            {
                CloseAbruptly(EngineCloseReasons.TransportError, ex.Message);
            }

            return writer;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async ValueTask<ProbeStep> OnProbePacketAsync(WebSocket webSocket, EnginePacket packet)
    {
        if (packet.Type == EnginePacketType.Ping && !packet.IsBinary && packet.Data.Span.SequenceEqual(s_probe))
        {
            lock (_lock)
            {
                if (_state != EngineSocketState.Open || !ReferenceEquals(_probe, webSocket))
                {
                    return ProbeStep.Abort;
                }

                // From now on polling only answers noop: the client pauses it and then sends upgrade here.
                _state = EngineSocketState.Upgrading;
                WakePollLocked();
            }

            await webSocket.SendAsync(s_pongProbe, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return ProbeStep.Continue;
        }

        if (packet.Type == EnginePacketType.Upgrade && !packet.IsBinary)
        {
            lock (_lock)
            {
                if (_state != EngineSocketState.Upgrading || !ReferenceEquals(_probe, webSocket))
                {
                    return ProbeStep.Abort;
                }

                _state = EngineSocketState.Open;
                IsWebSocket = true;
                _webSocket = webSocket;
                _probe = null;
                _probeTimer?.Dispose();
                _probeTimer = null;
                WakePollLocked();
            }

            Metrics.TransportChanged("polling", "websocket");
            return ProbeStep.Upgraded;
        }

        EngineLog.ProtocolViolation(Logger, Id, $"unexpected {packet.Type} packet during the upgrade probe");
        return ProbeStep.Abort;
    }

    private async Task RunWriterAsync(WebSocket webSocket)
    {
        try
        {
            while (await _outbound.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (TryDequeue(out var packet))
                {
                    if (ReferenceEquals(packet, OutboundPacket.Close))
                    {
                        // A WebSocket session ends with the WebSocket close handshake, not an Engine.IO close packet.
                        await CloseWebSocketQuietlyAsync(webSocket, WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
                        Release();
                        await AbortUnlessClosedAsync(webSocket).ConfigureAwait(false);
                        return;
                    }

                    var type = packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
                    await webSocket.SendAsync(packet.Encoded, type, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    Metrics.PacketSent(packet.Encoded.Length);
                    Metrics.BytesSent(packet.Encoded.Length);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            CloseAbruptly(EngineCloseReasons.TransportError, ex.Message);
        }
    }

    /// <summary>
    /// After our close frame, a client that never answers must not hold the request (and the host's shutdown) open:
    /// it gets <see cref="EngineOptions.DrainTimeout"/> to complete the close handshake.
    /// </summary>
    private async Task AbortUnlessClosedAsync(WebSocket webSocket)
    {
        var deadline = _server.TimeProvider.GetUtcNow() + Options.DrainTimeout;
        while (webSocket.State == WebSocketState.CloseSent && _server.TimeProvider.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _server.TimeProvider).ConfigureAwait(false);
        }

        if (webSocket.State != WebSocketState.Closed)
        {
            webSocket.Abort();
        }
    }

    private void OnWebSocketClosingLocked(bool graceful)
    {
        // A graceful close lets the writer flush the queue and send the close frame; an abrupt one stops a writer
        // that may be stuck behind a client that does not read.
        if (!graceful && _webSocket is { State: WebSocketState.Open } webSocket)
        {
            webSocket.Abort();
        }
    }

    private void AbortProbeLocked()
    {
        _probeTimer?.Dispose();
        _probeTimer = null;
        if (_probe is { } probe)
        {
            _probe = null;
            probe.Abort();
            if (_state == EngineSocketState.Upgrading)
            {
                _state = EngineSocketState.Open;
            }
        }
    }

    private void EndProbe(WebSocket webSocket)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_probe, webSocket))
            {
                AbortProbeLocked();
            }
        }
    }

    private async Task FinishCloseHandshakeAsync(WebSocket webSocket)
    {
        if (webSocket.State == WebSocketState.CloseReceived)
        {
            await CloseWebSocketQuietlyAsync(webSocket, WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
        }
    }

    private async Task CloseWebSocketQuietlyAsync(WebSocket webSocket, WebSocketCloseStatus status, string description)
    {
        if (webSocket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(Options.DrainTimeout);
        try
        {
            await webSocket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            webSocket.Abort();
        }
    }

    private enum ProbeStep
    {
        Continue,
        Upgraded,
        Abort,
    }
}
