using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Sockeye.Engine;

namespace Sockeye;

/// <summary>What the server knew when a socket connected: the HTTP handshake of its connection and its auth payload.</summary>
public sealed class SocketHandshake
{
    private readonly EngineHandshake? _engine;
    private readonly IHeaderDictionary? _headers;
    private readonly IQueryCollection? _query;
    private readonly ClaimsPrincipal? _user;
    private readonly string? _url;

    internal SocketHandshake(EngineHandshake engine, JsonElement? auth)
    {
        // Headers, query, URL and user are read through the connection's snapshot, which builds them on first use.
        _engine = engine;
        Address = engine.RemoteIpAddress;
        Secure = engine.IsSecure;
        Time = engine.Time;
        XDomain = engine.Origin.Length > 0;
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
        _headers = headers;
        _query = query;
        _url = url;
        Address = address;
        Secure = secure;
        XDomain = xDomain;
        Time = time;
        _user = new ClaimsPrincipal(new ClaimsIdentity());
        Auth = auth;
    }

    /// <summary>The headers of the first HTTP request of the connection.</summary>
    public IHeaderDictionary Headers => _engine?.Headers ?? _headers!;

    /// <summary>Its query string parameters (the client's <c>query</c> option lands here).</summary>
    public IQueryCollection Query => _engine?.Query ?? _query!;

    /// <summary>The client's address; behind a proxy, enable the forwarded-headers middleware.</summary>
    public IPAddress? Address { get; }

    /// <summary>The URL of the first request.</summary>
    public string Url => _engine?.Url ?? _url!;

    /// <summary>Whether the connection uses TLS.</summary>
    public bool Secure { get; }

    /// <summary>Whether the request was cross-origin (carried an <c>Origin</c> header).</summary>
    public bool XDomain { get; }

    /// <summary>When the connection was made.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The user that ASP.NET Core authentication established for the first request.</summary>
    public ClaimsPrincipal User => _engine?.User ?? _user!;

    /// <summary>
    /// The client's <c>auth</c> payload from the CONNECT packet (<see cref="JsonValueKind.Undefined"/> when it sent none).
    /// </summary>
    public JsonElement Auth { get; }
}
