using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sockeye.Diagnostics;
using Sockeye.Engine.Transports;
using Sockeye.Internal;

namespace Sockeye.Engine;

/// <summary>
/// An Engine.IO v4 endpoint: validates requests, opens sessions, routes polling requests and WebSockets to them, and
/// closes them all on shutdown.
/// </summary>
public sealed partial class EngineServer
{
    private readonly ConcurrentDictionary<string, EngineSocket> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _sessionsPerAddress = new(StringComparer.Ordinal);
    private readonly Action<EngineSocket> _onConnection;
    private readonly ICorsService? _corsService;
    private readonly CorsPolicy? _corsPolicy;
    private readonly byte[] _openTemplateSuffixPolling;
    private readonly byte[] _openTemplateSuffixWebSocket;
    private volatile bool _shuttingDown;
    private TaskCompletionSource? _drained;

    internal EngineServer(EngineOptions options, Action<EngineSocket> onConnection, ILogger logger, EngineMetrics metrics, TimeProvider timeProvider, ICorsService? corsService)
    {
        Options = options;
        _onConnection = onConnection;
        Logger = logger;
        Metrics = metrics;
        TimeProvider = timeProvider;
        if (options.Cors is not null)
        {
            var builder = new CorsPolicyBuilder();
            options.Cors(builder);
            _corsPolicy = builder.Build();
            _corsService = corsService ?? throw new InvalidOperationException("CORS is configured but no ICorsService is registered.");
        }

        var canUpgrade = options.AllowUpgrades && options.Transports.HasFlag(EngineTransports.WebSocket);
        _openTemplateSuffixPolling = BuildOpenSuffix(options, canUpgrade ? ["websocket"] : []);
        _openTemplateSuffixWebSocket = BuildOpenSuffix(options, []);
    }

    /// <summary>The options this endpoint runs with.</summary>
    public EngineOptions Options { get; }

    /// <summary>The number of open sessions.</summary>
    public int ClientsCount => _sessions.Count;

    /// <summary>The open sessions.</summary>
    public IEnumerable<EngineSocket> Sessions => _sessions.Values;

    internal ILogger Logger { get; }

    internal EngineMetrics Metrics { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>Finds an open session by its sid.</summary>
    public bool TryGetSession(string sid, out EngineSocket socket) => _sessions.TryGetValue(sid, out socket!);

    /// <summary>Serves one HTTP request or WebSocket upgrade for this endpoint.</summary>
    public async Task HandleRequestAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (_corsPolicy is not null)
        {
            var result = _corsService!.EvaluatePolicy(context, _corsPolicy);
            _corsService.ApplyResult(result, context.Response);
            if (result.IsPreflightRequest)
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }

        var query = request.Query;
        var transport = query["transport"].ToString();
        var isUpgrade = context.WebSockets.IsWebSocketRequest;
        var transportFlag = transport switch
        {
            "polling" => EngineTransports.Polling,
            "websocket" => EngineTransports.WebSocket,
            _ => EngineTransports.None,
        };
        if (transportFlag == EngineTransports.None || !Options.Transports.HasFlag(transportFlag))
        {
            await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.UnknownTransport, "Transport unknown").ConfigureAwait(false);
            return;
        }

        if (isUpgrade && transportFlag != EngineTransports.WebSocket)
        {
            await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.BadRequest, "Bad request").ConfigureAwait(false);
            return;
        }

        var sid = query["sid"].ToString();
        EngineSocket? session = null;
        if (sid.Length > 0)
        {
            if (!_sessions.TryGetValue(sid, out session))
            {
                await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.UnknownSid, "Session ID unknown").ConfigureAwait(false);
                return;
            }

            if (!isUpgrade && session.TransportName != transport)
            {
                await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.BadRequest, "Bad request").ConfigureAwait(false);
                return;
            }
        }
        else
        {
            if (!HttpMethods.IsGet(request.Method))
            {
                await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.BadHandshakeMethod, "Bad handshake method").ConfigureAwait(false);
                return;
            }

            if (transportFlag == EngineTransports.WebSocket && !isUpgrade)
            {
                await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.BadRequest, "Bad request").ConfigureAwait(false);
                return;
            }
        }

        // Handshakes and upgrades are counted until their session is registered: AllowRequest and the WebSocket
        // accept are where a flood of new connections would pile up.
        HandshakeTicket? ticket = null;
        if (sid.Length == 0 || isUpgrade)
        {
            if (!HandshakeTicket.TryTake(this, out ticket))
            {
                EngineLog.HandshakesSaturated(Logger, Options.MaxConcurrentHandshakes);
                await RefuseAsync(context, isUpgrade, StatusCodes.Status503ServiceUnavailable, EngineErrorCode.BadRequest, "Too many handshakes in progress").ConfigureAwait(false);
                return;
            }
        }

        try
        {
            if (sid.Length == 0 || isUpgrade)
            {
                if (isUpgrade && _corsPolicy is not null && request.Headers.Origin.Count > 0
                    && !_corsPolicy.IsOriginAllowed(request.Headers.Origin.ToString()))
                {
                    // Browsers do not apply CORS to WebSockets: without this check any site could open one with the
                    // user's cookies.
                    await RefuseAsync(context, isUpgrade, StatusCodes.Status403Forbidden, EngineErrorCode.Forbidden, "Origin not allowed").ConfigureAwait(false);
                    return;
                }

                if (Options.AllowRequest is { } allowRequest)
                {
                    var verdict = await allowRequest(context).ConfigureAwait(false);
                    if (!verdict.IsAllowed)
                    {
                        await RefuseAsync(context, isUpgrade, StatusCodes.Status403Forbidden, EngineErrorCode.Forbidden, verdict.Message).ConfigureAwait(false);
                        return;
                    }
                }
            }

            if (session is null)
            {
                if (query["EIO"] != "4")
                {
                    await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.UnsupportedProtocolVersion, "Unsupported protocol version").ConfigureAwait(false);
                    return;
                }

                if (_shuttingDown)
                {
                    await RefuseAsync(context, isUpgrade, StatusCodes.Status503ServiceUnavailable, EngineErrorCode.BadRequest, "Server shutting down").ConfigureAwait(false);
                    return;
                }

                if (_sessions.Count >= Options.MaxSessions)
                {
                    await RefuseAsync(context, isUpgrade, StatusCodes.Status503ServiceUnavailable, EngineErrorCode.BadRequest, "Server full").ConfigureAwait(false);
                    return;
                }

                if (!TryTakeAddressSlot(context.Connection.RemoteIpAddress, out var address))
                {
                    await RefuseAsync(context, isUpgrade, StatusCodes.Status403Forbidden, EngineErrorCode.Forbidden, "Too many sessions from this address").ConfigureAwait(false);
                    return;
                }

                // The session then runs in this request's frame: one suspended state machine per idle connection
                // rather than a chain of them.
                var (opened, webSocket) = await OpenSessionAsync(context, isUpgrade, address, ticket).ConfigureAwait(false);
                if (webSocket is null)
                {
                    await opened.HandlePollAsync(context).ConfigureAwait(false);
                    return;
                }

                await opened.ReadWebSocketAsync(webSocket).ConfigureAwait(false);
                await opened.StopWritingAsync(webSocket).ConfigureAwait(false);
                return;
            }

            if (isUpgrade)
            {
                if (!Options.AllowUpgrades || !session.CanUpgrade)
                {
                    // One WebSocket per session: a second one, or one during another upgrade, is refused.
                    await RefuseAsync(context, isUpgrade, StatusCodes.Status400BadRequest, EngineErrorCode.BadRequest, "Bad request").ConfigureAwait(false);
                    return;
                }

                var (webSocket, output) = await AcceptAsync(context).ConfigureAwait(false);
                ticket?.Release();
                await session.RunUpgradeAsync(webSocket, output).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsGet(request.Method))
            {
                await session.HandlePollAsync(context).ConfigureAwait(false);
            }
            else if (HttpMethods.IsPost(request.Method))
            {
                await session.HandlePostAsync(context).ConfigureAwait(false);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
        finally
        {
            ticket?.Release();
        }
    }

    /// <summary>
    /// Stops accepting handshakes and closes every session with <c>server shutting down</c>, waiting up to
    /// <see cref="EngineOptions.DrainTimeout"/> for their last packets to be delivered.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        StopAccepting();
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        foreach (var session in _sessions.Values)
        {
            session.CloseGracefully(EngineCloseReasons.ServerShuttingDown, null);
        }

        if (_sessions.IsEmpty)
        {
            drained.TrySetResult();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.DrainTimeout);
        try
        {
            await drained.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            EngineLog.DrainTimedOut(Logger, _sessions.Count);
        }

        foreach (var session in _sessions.Values)
        {
            session.CloseAbruptly(EngineCloseReasons.ServerShuttingDown, "drain timeout");
        }
    }

    /// <summary>Refuses new handshakes (503) from now on; open sessions carry on.</summary>
    public void StopAccepting() => _shuttingDown = true;

    internal void Remove(EngineSocket socket)
    {
        if (_sessions.TryRemove(new KeyValuePair<string, EngineSocket>(socket.Id, socket)))
        {
            ReleaseAddressSlot(socket.AddressSlot);
            Metrics.SessionEnded(socket.TransportName);
            if (_sessions.IsEmpty)
            {
                Volatile.Read(ref _drained)?.TrySetResult();
            }
        }
    }

    internal static async Task WriteErrorAsync(HttpContext context, int status, EngineErrorCode code, string message, string? detail = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", (int)code);
            writer.WriteString("message", message);
            if (detail is not null)
            {
                writer.WriteString("detail", detail);
            }

            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private bool TryTakeAddressSlot(System.Net.IPAddress? address, out string? key)
    {
        key = null;
        if (Options.MaxSessionsPerAddress == 0)
        {
            return true;
        }

        key = address?.ToString() ?? "unknown";
        var limit = Options.MaxSessionsPerAddress;
        var taken = false;
        _sessionsPerAddress.AddOrUpdate(
            key,
            _ =>
            {
                taken = true;
                return 1;
            },
            (_, count) =>
            {
                taken = count < limit;
                return taken ? count + 1 : count;
            });
        return taken;
    }

    private void ReleaseAddressSlot(string? key)
    {
        if (key is null)
        {
            return;
        }

        // Decrement, and drop the entry at zero so the table holds only addresses with open sessions.
        while (_sessionsPerAddress.TryGetValue(key, out var count))
        {
            if (count <= 1
                ? _sessionsPerAddress.TryRemove(new KeyValuePair<string, int>(key, count))
                : _sessionsPerAddress.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Opens a session: accepts its WebSocket (when it starts on one), registers it, queues the open packet and raises
    /// the connection. The caller then serves the handshake's poll or runs the WebSocket.
    /// </summary>
    private async Task<(EngineSocket Session, WebSocket? WebSocket)> OpenSessionAsync(HttpContext context, bool isWebSocket, string? addressSlot, HandshakeTicket? ticket)
    {
        var id = GenerateId();
        var socket = new EngineSocket(this, id, new EngineHandshake(context, TimeProvider.GetUtcNow()), isWebSocket)
        {
            AddressSlot = addressSlot,
        };
        WebSocket? webSocket = null;
        if (isWebSocket)
        {
            try
            {
                (webSocket, var output) = await AcceptAsync(context).ConfigureAwait(false);
                socket.AttachWebSocket(webSocket, output);
            }
            catch
            {
                ReleaseAddressSlot(socket.AddressSlot);
                throw;
            }
        }
        else if (Options.Cookie is { } cookie)
        {
            context.Response.Cookies.Append(cookie.Name, id, new CookieOptions
            {
                Path = cookie.Path,
                HttpOnly = cookie.HttpOnly,
                SameSite = cookie.SameSite,
                Secure = cookie.Secure,
            });
        }

        _sessions[id] = socket;
        ticket?.Release();
        socket.Send(BuildOpenPacket(id, isWebSocket));
        if (Options.InitialPacket is { } initial)
        {
            socket.Send(OutboundPacket.TextMessage(initial));
        }

        Metrics.SessionOpened(socket.TransportName);
        EngineLog.SessionOpened(Logger, id, socket.TransportName, context.Connection.RemoteIpAddress);
        socket.StartHeartbeat();
        try
        {
            _onConnection(socket);
        }
        catch (Exception ex)
        {
            EngineLog.HandlerFailed(Logger, id, ex);
            socket.CloseAbruptly(EngineCloseReasons.ForcedClose, "connection handler failed");
        }

        return (socket, webSocket);
    }

    /// <summary>
    /// Accepts the WebSocket over a stream that can gather frames; compression and HTTP/2 go through ASP.NET Core's
    /// WebSocket middleware (without gathering).
    /// </summary>
    private async Task<(WebSocket Socket, BatchingWriteStream? Output)> AcceptAsync(HttpContext context)
    {
        if (!Options.PerMessageDeflate && await WebSocketAcceptor.TryAcceptAsync(context).ConfigureAwait(false) is { } accepted)
        {
            return accepted;
        }

        var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = Options.PerMessageDeflate,

            // The Engine.IO heartbeat already detects dead peers; WebSocket pings would only add traffic.
            KeepAliveInterval = TimeSpan.Zero,
        }).ConfigureAwait(false);
        return (webSocket, null);
    }

    private async Task RefuseAsync(HttpContext context, bool isUpgrade, int status, EngineErrorCode code, string message)
    {
        Metrics.RequestRefused(code);
        EngineLog.RequestRefused(Logger, (int)code, message, context.Request.Method, context.Request.QueryString.Value);
        if (isUpgrade)
        {
            // Refused before the upgrade is accepted: the client sees a failed WebSocket handshake.
            context.Response.StatusCode = status == StatusCodes.Status403Forbidden ? StatusCodes.Status400BadRequest : status;
            await WriteErrorAsync(context, context.Response.StatusCode, code, message).ConfigureAwait(false);
            return;
        }

        await WriteErrorAsync(context, status, code, message).ConfigureAwait(false);
    }

    private OutboundPacket BuildOpenPacket(string id, bool isWebSocket)
    {
        // The JSON after the sid is the same for every session of this endpoint: build it once.
        var suffix = isWebSocket ? _openTemplateSuffixWebSocket : _openTemplateSuffixPolling;
        var bytes = new byte[10 + id.Length + suffix.Length];
        "0{\"sid\":\""u8.CopyTo(bytes);
        var written = 9 + System.Text.Encoding.ASCII.GetBytes(id, bytes.AsSpan(9));
        bytes[written++] = (byte)'"';
        suffix.CopyTo(bytes.AsSpan(written));
        return OutboundPacket.FromEncodedText(bytes.AsMemory(0, written + suffix.Length));
    }

    private static byte[] BuildOpenSuffix(EngineOptions options, string[] upgrades)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("upgrades");
            foreach (var upgrade in upgrades)
            {
                writer.WriteStringValue(upgrade);
            }

            writer.WriteEndArray();
            writer.WriteNumber("pingInterval", (long)options.PingInterval.TotalMilliseconds);
            writer.WriteNumber("pingTimeout", (long)options.PingTimeout.TotalMilliseconds);
            writer.WriteNumber("maxPayload", options.MaxHttpBufferSize);
            writer.WriteEndObject();
        }

        // Turn `{"upgrades":...}` into `,"upgrades":...}` to follow the sid.
        var bytes = buffer.ToArray();
        bytes[0] = (byte)',';
        return bytes;
    }

    private static string GenerateId()
    {
        // 15 random bytes make exactly 20 URL-safe base64 characters, the length clients and proxies expect.
        Span<byte> random = stackalloc byte[15];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
