namespace Sockeye.Chat.Realtime;

/// <summary>The <c>code</c> of every error event and error acknowledgement the service sends.</summary>
public static class ChatErrorCodes
{
    /// <summary>The payload failed validation; <c>field</c> names the culprit.</summary>
    public const string InvalidPayload = "INVALID_PAYLOAD";

    /// <summary>The connection sent messages faster than its token bucket allows; <c>retry_after_ms</c> says when to retry.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The user already has the maximum number of connections.</summary>
    public const string ConnectionLimit = "CONNECTION_LIMIT";

    /// <summary>
    /// The server could not complete the request (the database is unreachable, for instance); the client may retry
    /// (de-duplication keeps a message exactly-once).
    /// </summary>
    public const string Internal = "INTERNAL_ERROR";
}
