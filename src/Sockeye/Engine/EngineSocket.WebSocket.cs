using System.Buffers;
using System.Net.WebSockets;
using Sockeye.Diagnostics;
using Sockeye.Engine.Transports;
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

    // The WebSocket accepts one send at a time. Whoever queues a packet while nobody writes claims the writer and
    // writes on its own thread, so the common case (an ack, a broadcast to an idle socket) reaches the socket without
    // a hop through the thread pool; packets queued meanwhile are written by the claimant before it lets go. Only a
    // send that cannot complete at once (the client reads slowly) continues asynchronously.
    private bool _writing;
    private BatchingWriteStream? _output;
    private BatchingWriteStream? _probeOutput;
    private TaskCompletionSource? _writerStopped;
    private ITimer? _closeTimer;

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

    /// <summary>Makes the WebSocket of a session that starts on WebSocket its transport, before anything is sent.</summary>
    internal void AttachWebSocket(WebSocket webSocket, BatchingWriteStream? output)
    {
        lock (_lock)
        {
            _webSocket = webSocket;
            _output = output;
            _writerStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// Reads the frames of a session that started on WebSocket (no polling phase) until the client's side ends; the
    /// caller then awaits <see cref="StopWritingAsync"/>. Two calls rather than one method that awaits both, so that an
    /// idle connection holds one suspended state machine fewer.
    /// </summary>
    internal Task ReadWebSocketAsync(WebSocket webSocket) => ReceiveAsync(webSocket, probing: false);

    /// <summary>
    /// Runs the WebSocket of an upgrade: the probe exchange, then, once the client sends <c>upgrade</c>, the session
    /// itself until the socket closes.
    /// </summary>
    internal async Task RunUpgradeAsync(WebSocket webSocket, BatchingWriteStream? output)
    {
        lock (_lock)
        {
            if (_state != EngineSocketState.Open || IsWebSocket || _probe is not null)
            {
                webSocket.Abort();
                return;
            }

            _probe = webSocket;
            _probeOutput = output;
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

        if (await ReceiveAsync(webSocket, probing: true).ConfigureAwait(false))
        {
            await StopWritingAsync(webSocket).ConfigureAwait(false);
        }
        else
        {
            await FinishCloseHandshakeAsync(webSocket).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Once the client's side has ended: waits for the writer to send what the close left queued and the close frame,
    /// then completes the close handshake.
    /// </summary>
    internal async Task StopWritingAsync(WebSocket webSocket)
    {
        TaskCompletionSource? stopped;
        lock (_lock)
        {
            stopped = _writerStopped;
        }

        if (stopped is not null)
        {
            await stopped.Task.ConfigureAwait(false);
        }

        lock (_lock)
        {
            _closeTimer?.Dispose();
            _closeTimer = null;
        }

        await FinishCloseHandshakeAsync(webSocket).ConfigureAwait(false);
    }

    /// <summary>Reads frames until the socket closes; returns whether the session ran on this socket.</summary>
    private async Task<bool> ReceiveAsync(WebSocket webSocket, bool probing)
    {
        var max = Options.MaxHttpBufferSize;
        byte[]? buffer = null;
        var count = 0;
        var ran = !probing;
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

                        return ran;
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

                    return ran;
                }

                count += result.Count;
                if (count > max)
                {
                    EngineLog.ProtocolViolation(Logger, Id, $"WebSocket message over {max} bytes");
                    await CloseWebSocketQuietlyAsync(webSocket, WebSocketCloseStatus.MessageTooBig, "message too big").ConfigureAwait(false);
                    CloseAbruptly(EngineCloseReasons.TransportError, "message too big");
                    return ran;
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

                    return ran;
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
                        ran = true;
                        OnUpgraded();
                        break;
                    default:
                        EndProbe(webSocket);
                        return ran;
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

            return ran;
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
            bool write;
            lock (_lock)
            {
                if (_state != EngineSocketState.Upgrading || !ReferenceEquals(_probe, webSocket))
                {
                    return ProbeStep.Abort;
                }

                _state = EngineSocketState.Open;
                IsWebSocket = true;
                _webSocket = webSocket;
                _output = _probeOutput;
                _probeOutput = null;
                _writerStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _probe = null;
                _probeTimer?.Dispose();
                _probeTimer = null;
                WakePollLocked();

                // What queued up while polling was paused goes out on the new transport.
                write = _queue.Count > 0 && TryClaimWriterLocked();
            }

            if (write)
            {
                WriteQueued();
            }

            Metrics.TransportChanged("polling", "websocket");
            return ProbeStep.Upgraded;
        }

        EngineLog.ProtocolViolation(Logger, Id, $"unexpected {packet.Type} packet during the upgrade probe");
        return ProbeStep.Abort;
    }

    /// <summary>Claims the WebSocket writer if the session runs on a WebSocket and nobody is writing.</summary>
    private bool TryClaimWriterLocked()
    {
        if (_writing || !IsWebSocket || _webSocket is null)
        {
            return false;
        }

        _writing = true;
        return true;
    }

    /// <summary>Runs the writer this thread claimed, here or on the thread pool; called outside the lock.</summary>
    /// <remarks>The task is dropped on purpose: it completes synchronously in the common case, and otherwise
    /// finishes on its own and reports its failures itself.</remarks>
    private void WriteQueued(WriteMode mode = WriteMode.Inline)
    {
        if (mode == WriteMode.Posted)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        else
        {
            _ = WriteQueuedAsync(_webSocket!);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteQueuedAsync(_webSocket!);

    private async Task WriteQueuedAsync(WebSocket webSocket)
    {
        var output = _output;
        var gathering = false;
        try
        {
            while (true)
            {
                OutboundPacket? packet;
                var more = false;
                lock (_lock)
                {
                    if (_queue.TryDequeue(out packet))
                    {
                        more = _queue.Count > 0;
                    }
                    else if (!gathering)
                    {
                        _writing = false;
                        return;
                    }
                }

                if (packet is null)
                {
                    // The queue ran dry while frames were being gathered: write them, then look again.
                    gathering = false;
                    await output!.ReleaseAsync().ConfigureAwait(false);
                    continue;
                }

                if (ReferenceEquals(packet, OutboundPacket.Close))
                {
                    if (gathering)
                    {
                        gathering = false;
                        await output!.ReleaseAsync().ConfigureAwait(false);
                    }

                    // A WebSocket session ends with the WebSocket close handshake, not an Engine.IO close packet. The
                    // writer stays claimed: nothing is written after the close frame.
                    await CloseWebSocketQuietlyAsync(webSocket, WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
                    Release();
                    AbortUnlessClosedInTime(webSocket);
                    _writerStopped?.TrySetResult();
                    return;
                }

                if (more && !gathering && output is not null)
                {
                    // Several packets wait: their frames go out in one write instead of one each.
                    output.Hold();
                    gathering = true;
                }

                var type = packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
                await webSocket.SendAsync(packet.Encoded, type, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                Metrics.PacketSent(packet.Encoded.Length);
                Metrics.BytesSent(packet.Encoded.Length);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The writer stays claimed: the socket is broken. The close runs apart from whoever queued the packet,
            // which may be a handler or a broadcast in the middle of its own work.
            _writerStopped?.TrySetResult();
            ThreadPool.UnsafeQueueUserWorkItem(
                static state => state.Socket.CloseAbruptly(EngineCloseReasons.TransportError, state.Message),
                (Socket: this, ex.Message),
                preferLocal: false);
        }
    }

    /// <summary>
    /// After our close frame, a client that never answers must not hold the request (and the host's shutdown) open:
    /// it gets <see cref="EngineOptions.DrainTimeout"/> to complete the close handshake.
    /// </summary>
    private void AbortUnlessClosedInTime(WebSocket webSocket)
    {
        if (webSocket.State != WebSocketState.CloseSent)
        {
            return;
        }

        lock (_lock)
        {
            _closeTimer ??= _server.TimeProvider.CreateTimer(
                static s =>
                {
                    var ws = (WebSocket)s!;
                    if (ws.State != WebSocketState.Closed)
                    {
                        ws.Abort();
                    }
                },
                webSocket,
                Options.DrainTimeout,
                Timeout.InfiniteTimeSpan);
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
            _probeOutput = null;
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
