using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sockeye.Engine.Transports;

/// <summary>
/// Completes the server side of an HTTP/1.1 WebSocket handshake over a <see cref="BatchingWriteStream"/>, so the
/// session's writer can gather frames. Requests it cannot take (HTTP/2, compression negotiated) go through ASP.NET
/// Core's WebSocket middleware instead.
/// </summary>
internal static class WebSocketAcceptor
{
    // RFC 6455, section 1.3: the accept value is base64(SHA-1(key + this GUID)).
    private static ReadOnlySpan<byte> HandshakeGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    /// <summary>
    /// Accepts the upgrade when the request is an HTTP/1.1 upgrade whose WebSocket headers ASP.NET Core already
    /// validated (<see cref="WebSocketManager.IsWebSocketRequest"/>).
    /// </summary>
    /// <returns>The socket and its stream, or <see langword="null"/> when the request needs the middleware's path.</returns>
    public static async Task<(WebSocket Socket, BatchingWriteStream Stream)?> TryAcceptAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length is 0 or > 64)
        {
            return null;
        }

        var headers = context.Response.Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = ComputeAccept(key);

        // A WebSocket lives as long as its session; a request timeout must not cut it.
        context.Features.Get<Microsoft.AspNetCore.Http.Timeouts.IHttpRequestTimeoutFeature>()?.DisableTimeout();

        var stream = new BatchingWriteStream(await upgrade.UpgradeAsync().ConfigureAwait(false));
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,

            // The Engine.IO heartbeat already detects dead peers; WebSocket pings would only add traffic.
            KeepAliveInterval = TimeSpan.Zero,
        });
        return (new ServerWebSocket(socket, context), stream);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 6455 prescribes SHA-1 for the accept value; it protects nothing.")]
    private static string ComputeAccept(string key)
    {
        Span<byte> input = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length) + HandshakeGuid.Length];
        var length = Encoding.UTF8.GetBytes(key, input);
        HandshakeGuid.CopyTo(input[length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input[..(length + HandshakeGuid.Length)], hash);
        return Convert.ToBase64String(hash);
    }
}
