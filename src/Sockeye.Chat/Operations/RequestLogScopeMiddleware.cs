using Microsoft.Extensions.Logging;

namespace Sockeye.Chat.Operations;

/// <summary>
/// Gives every log line written while handling a request a <c>request_id</c>: the caller's <c>X-Request-Id</c>
/// when it is a plausible id (so that a proxy's id follows the request), the server's trace identifier otherwise.
/// The id is echoed in the response's <c>X-Request-Id</c>.
/// </summary>
internal sealed class RequestLogScopeMiddleware(RequestDelegate next, ILogger<RequestLogScopeMiddleware> logger)
{
    /// <summary>The request and response header.</summary>
    public const string Header = "X-Request-Id";

    /// <summary>The scope key.</summary>
    public const string ScopeKey = "request_id";

    /// <summary>The longest caller id taken over; a longer one is replaced, so that logs stay bounded.</summary>
    public const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.Request.Headers[Header].ToString();
        if (IsPlausible(requestId))
        {
            context.TraceIdentifier = requestId;
        }
        else
        {
            requestId = context.TraceIdentifier;
        }

        context.Response.Headers[Header] = requestId;
        using (logger.BeginScope(new KeyValuePair<string, object>[] { new(ScopeKey, requestId) }))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    /// <summary>Printable ASCII without spaces or quotes, at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsPlausible(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '+' or '='))
            {
                return false;
            }
        }

        return true;
    }
}
