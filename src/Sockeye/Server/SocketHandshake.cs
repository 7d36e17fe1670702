using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Sockeye.Engine;

namespace Sockeye;

/// <summary>What the server knew when a socket connected: the HTTP handshake of its connection and its auth payload.</summary>
public sealed class SocketHandshake
{
    internal SocketHandshake(EngineHandshake engine, JsonElement? auth)
    {
        Headers = engine.Headers;
        Query = engine.Query;
        Address = engine.RemoteIpAddress;
        Url = engine.Url;
        Secure = engine.IsSecure;
        Time = engine.Time;
        XDomain = engine.Origin.Length > 0;
        User = engine.User;
        Auth = auth ?? default;
    }

    /// <summary>
    /// Creates the handshake of a socket connected to another server, as a cluster adapter reads it from the wire
    /// (the <see cref="User"/> of a remote socket is unknown: an unauthenticated principal).
    /// </summary>
    public SocketHandshake(IHeaderDictionary headers, IQueryCollection query, IPAddress? address, string url, bool secure, bool xDomain, DateTimeOffset time, JsonElement auth)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(url);
        Headers = headers;
        Query = query;
        Address = address;
        Url = url;
        Secure = secure;
        XDomain = xDomain;
        Time = time;
        User = new ClaimsPrincipal(new ClaimsIdentity());
        Auth = auth;
    }

    /// <summary>The headers of the first HTTP request of the connection.</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>Its query string parameters (the client's <c>query</c> option lands here).</summary>
    public IQueryCollection Query { get; }

    /// <summary>The client's address; behind a proxy, enable the forwarded-headers middleware.</summary>
    public IPAddress? Address { get; }

    /// <summary>The URL of the first request.</summary>
    public string Url { get; }

    /// <summary>Whether the connection uses TLS.</summary>
    public bool Secure { get; }

    /// <summary>Whether the request was cross-origin (carried an <c>Origin</c> header).</summary>
    public bool XDomain { get; }

    /// <summary>When the connection was made.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The user that ASP.NET Core authentication established for the first request.</summary>
    public ClaimsPrincipal User { get; }

    /// <summary>
    /// The client's <c>auth</c> payload from the CONNECT packet (<see cref="JsonValueKind.Undefined"/> when it sent none).
    /// </summary>
    public JsonElement Auth { get; }
}
