using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Sockeye.Engine;

/// <summary>
/// What the server knew of the request that opened a session. A snapshot: the <see cref="HttpContext"/> of a
/// long-polling handshake ends long before the session does.
/// </summary>
public sealed class EngineHandshake
{
    internal EngineHandshake(HttpContext context, DateTimeOffset time)
    {
        var request = context.Request;
        Headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        Query = new QueryCollection(request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal));
        RemoteIpAddress = context.Connection.RemoteIpAddress;
        Url = string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent());
        IsSecure = request.IsHttps;
        Time = time;
        User = context.User;
        Origin = request.Headers.Origin.ToString();
    }

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>The query string parameters.</summary>
    public IQueryCollection Query { get; }

    /// <summary>
    /// The client's address, as ASP.NET Core saw it: behind a proxy, enable the forwarded-headers middleware so this
    /// is the client's and not the proxy's.
    /// </summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>The path and query of the handshake request.</summary>
    public string Url { get; }

    /// <summary>Whether the handshake came over HTTPS.</summary>
    public bool IsSecure { get; }

    /// <summary>When the handshake happened.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The user the ASP.NET Core authentication middleware established for the handshake request.</summary>
    public ClaimsPrincipal User { get; }

    /// <summary>The <c>Origin</c> header, empty when absent.</summary>
    public string Origin { get; }
}
