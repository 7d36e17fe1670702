using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sockeye.Diagnostics;
using Sockeye.Internal;
using Sockeye.Protocol.EngineIO;

namespace Sockeye.Engine;

public sealed partial class EngineSocket
{
    private static readonly byte[] s_ok = "ok"u8.ToArray();
    private bool _pollPending;
    private bool _postPending;
    private TaskCompletionSource? _pollWake;

    /// <summary>Whether a polling GET is waiting for packets.</summary>
    internal bool IsPollPending
    {
        get
        {
            lock (_lock)
            {
                return _pollPending;
            }
        }
    }

    /// <summary>
    /// Serves a polling GET: holds it until packets are queued, then flushes every queued packet as one payload.
    /// </summary>
    internal async Task HandlePollAsync(HttpContext context)
    {
        bool overlapping;
        lock (_lock)
        {
            overlapping = _pollPending;
            _pollPending = true;
        }

        if (overlapping)
        {
            // The protocol allows one pending GET; a second one means a confused or hostile client.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            EngineLog.ProtocolViolation(Logger, Id, "overlapping GET requests");
            CloseAbruptly(EngineCloseReasons.TransportError, "overlapping GET requests");
            return;
        }

        using var payload = new PooledBufferWriter();
        var release = false;
        var aborted = context.RequestAborted;
        try
        {
            while (true)
            {
                Task wake;
                lock (_lock)
                {
                    if (IsWebSocket || _state == EngineSocketState.Upgrading)
                    {
                        // The client is switching to WebSocket: release its poll so it can send the upgrade packet.
                        WriteRecord(payload, OutboundPacket.Noop);
                        break;
                    }

                    if (DrainLocked(payload, out var sawClose))
                    {
                        release = sawClose;
                        break;
                    }

                    if (_state == EngineSocketState.Closed)
                    {
                        WriteRecord(payload, OutboundPacket.Close);
                        break;
                    }

                    _pollWake ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wake = _pollWake.Task;
                }

                // Woken by a packet, an upgrade or a close: look at the state again.
                await wake.WaitAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            lock (_lock)
            {
                _pollPending = false;
            }

            CloseAbruptly(EngineCloseReasons.TransportError, "poll connection closed prematurely");
            return;
        }
        finally
        {
            lock (_lock)
            {
                _pollPending = false;
                _pollWake = null;
            }
        }

        await WritePayloadAsync(context, payload.WrittenMemory).ConfigureAwait(false);
        if (release)
        {
            Release();
        }
    }

    /// <summary>Serves a polling POST: decodes the payload and dispatches its packets in order.</summary>
    internal async Task HandlePostAsync(HttpContext context)
    {
        bool overlapping;
        lock (_lock)
        {
            overlapping = _postPending;
            _postPending = true;
        }

        if (overlapping)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            EngineLog.ProtocolViolation(Logger, Id, "overlapping POST requests");
            CloseAbruptly(EngineCloseReasons.TransportError, "overlapping POST requests");
            return;
        }

        byte[]? body = null;
        try
        {
            if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
                && contentType.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                // Engine.IO v4 polling payloads are text; binary bodies belong to v3.
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                CloseAbruptly(EngineCloseReasons.TransportError, "binary content-type on a v4 polling request");
                return;
            }

            var max = Options.MaxHttpBufferSize;
            if (context.Request.ContentLength > max)
            {
                await RefuseOversizeAsync(context).ConfigureAwait(false);
                return;
            }

            var (buffer, length) = await ReadBodyAsync(context, max).ConfigureAwait(false);
            body = buffer;
            if (length < 0)
            {
                await RefuseOversizeAsync(context).ConfigureAwait(false);
                return;
            }

            var packets = new List<EnginePacket>();
            if (!EnginePayload.TryDecode(body.AsMemory(0, length), packets, out var error))
            {
                EngineLog.ProtocolViolation(Logger, Id, error!);
                await EngineServer.WriteErrorAsync(context, StatusCodes.Status400BadRequest, EngineErrorCode.BadRequest, "Bad request", error).ConfigureAwait(false);
                CloseAbruptly(EngineCloseReasons.ParseError, error);
                return;
            }

            Metrics.BytesReceived(length);
            foreach (var packet in packets)
            {
                if (!IsOpen)
                {
                    break;
                }

                Dispatch(packet);
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = s_ok.Length;
            await context.Response.Body.WriteAsync(s_ok, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // A body that arrives too slowly (Kestrel's minimum data rate) or a client that went away: only this
            // session pays.
            EngineLog.ProtocolViolation(Logger, Id, "POST body not received: " + ex.Message);
            CloseAbruptly(EngineCloseReasons.TransportError, "POST body not received");
        }
        finally
        {
            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }

            lock (_lock)
            {
                _postPending = false;
            }
        }
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContext context, int max)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            var length = result.Buffer.Length;
            if (length > max)
            {
                reader.AdvanceTo(result.Buffer.End);
                return ([], -1);
            }

            if (result.IsCompleted)
            {
                var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
                result.Buffer.CopyTo(buffer);
                reader.AdvanceTo(result.Buffer.End);
                return (buffer, (int)length);
            }

            // Nothing consumed until the whole body is in: the payload is decoded in one piece.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private async Task RefuseOversizeAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        EngineLog.ProtocolViolation(Logger, Id, $"POST body over {Options.MaxHttpBufferSize} bytes");
        CloseAbruptly(EngineCloseReasons.TransportError, "payload too large");
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private bool DrainLocked(PooledBufferWriter payload, out bool sawClose)
    {
        sawClose = false;
        var any = false;
        while (_queue.TryDequeue(out var packet))
        {
            if (any)
            {
                EnginePayload.WriteSeparator(payload);
            }

            WriteRecord(payload, packet);
            any = true;
            if (ReferenceEquals(packet, OutboundPacket.Close))
            {
                sawClose = true;
                break;
            }
        }

        return any;
    }

    private void WriteRecord(PooledBufferWriter payload, OutboundPacket packet)
    {
        var record = packet.PollingRecord;
        record.CopyTo(payload.GetSpan(record.Length));
        payload.Advance(record.Length);
        Metrics.PacketSent(record.Length);
    }

    private async Task WritePayloadAsync(HttpContext context, ReadOnlyMemory<byte> payload)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=UTF-8";
        response.Headers.CacheControl = "no-store";
        var encoding = Options.HttpCompression && payload.Length >= Options.CompressionThreshold
            ? ChooseEncoding(context.Request.Headers.AcceptEncoding)
            : null;
        Metrics.BytesSent(payload.Length);
        try
        {
            if (encoding is null)
            {
                response.ContentLength = payload.Length;
                await response.Body.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            response.Headers.ContentEncoding = encoding;
            Stream compressor = encoding == "gzip"
                ? new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true)
                : new ZLibStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await using (compressor.ConfigureAwait(false))
            {
                await compressor.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client left while the response was being written: the packets are lost with the connection.
            CloseAbruptly(EngineCloseReasons.TransportError, "poll connection closed while writing");
        }
    }

    private static string? ChooseEncoding(Microsoft.Extensions.Primitives.StringValues acceptEncoding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var values))
        {
            return null;
        }

        foreach (var preferred in (ReadOnlySpan<string>)["gzip", "deflate"])
        {
            foreach (var value in values)
            {
                if (value.Value.Equals(preferred, StringComparison.OrdinalIgnoreCase) && value.Quality is not 0)
                {
                    return preferred;
                }
            }
        }

        return null;
    }

    private void WakePollLocked()
    {
        if (_pollWake is { } wake)
        {
            _pollWake = null;
            wake.TrySetResult();
        }
    }

    private void CloseByClient() => CloseAbruptly(EngineCloseReasons.TransportClose, "client sent close");
}
