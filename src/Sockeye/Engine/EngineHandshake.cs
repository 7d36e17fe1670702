using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Sockeye.Engine;

/// <summary>
/// What the server knew of the request that opened a session. A snapshot: the <see cref="HttpContext"/> of a
/// long-polling handshake ends long before the session does.
/// </summary>
/// <remarks>
/// Every session keeps one for its whole life, and most never read it. The snapshot therefore holds references to
/// what the request already allocated (header names and values, path, query string) and builds the dictionaries the
/// properties expose on first use.
/// </remarks>
public sealed class EngineHandshake
{
    private readonly KeyValuePair<string, StringValues>[] _headerFields;
    private readonly string _pathBase;
    private readonly string _path;
    private readonly string _queryString;
    private IHeaderDictionary? _headers;
    private IQueryCollection? _query;
    private ClaimsPrincipal? _user;
    private string? _url;

    internal EngineHandshake(HttpContext context, DateTimeOffset time)
    {
        var request = context.Request;
        _headerFields = [.. request.Headers];
        _pathBase = request.PathBase.Value ?? string.Empty;
        _path = request.Path.Value ?? string.Empty;
        _queryString = request.QueryString.Value ?? string.Empty;
        RemoteIpAddress = context.Connection.RemoteIpAddress;
        IsSecure = request.IsHttps;
        Time = time;

        // HttpContext.User would create an empty principal for every anonymous request; that is deferred to first use.
        _user = context.Features.Get<IHttpAuthenticationFeature>()?.User;
        Origin = request.Headers.Origin.ToString();
    }

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers
    {
        get
        {
            if (_headers is { } headers)
            {
                return headers;
            }

            var fields = new Dictionary<string, StringValues>(_headerFields.Length, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in _headerFields)
            {
                fields[name] = value;
            }

            return Interlocked.CompareExchange(ref _headers, new HeaderDictionary(fields), null) ?? _headers;
        }
    }

    /// <summary>The query string parameters.</summary>
    public IQueryCollection Query
    {
        get
        {
            if (_query is { } query)
            {
                return query;
            }

            var parsed = new QueryCollection(QueryHelpers.ParseQuery(_queryString));
            return Interlocked.CompareExchange(ref _query, parsed, null) ?? _query;
        }
    }

    /// <summary>
    /// The client's address, as ASP.NET Core saw it: behind a proxy, enable the forwarded-headers middleware so this
    /// is the client's and not the proxy's.
    /// </summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>The path and query of the handshake request.</summary>
    public string Url => _url ??= string.Concat(
        new PathString(_pathBase).ToUriComponent(),
        new PathString(_path).ToUriComponent(),
        _queryString);

    /// <summary>Whether the handshake came over HTTPS.</summary>
    public bool IsSecure { get; }

    /// <summary>When the handshake happened.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The user the ASP.NET Core authentication middleware established for the handshake request.</summary>
    public ClaimsPrincipal User
    {
        get
        {
            if (_user is { } user)
            {
                return user;
            }

            return Interlocked.CompareExchange(ref _user, new ClaimsPrincipal(new ClaimsIdentity()), null) ?? _user;
        }
    }

    /// <summary>The <c>Origin</c> header, empty when absent.</summary>
    public string Origin { get; }
}
