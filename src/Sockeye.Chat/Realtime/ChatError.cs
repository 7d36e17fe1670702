namespace Sockeye.Chat.Realtime;

/// <summary>An error sent to a client as the <c>error</c> event and, when it asked for one, as <c>{ error }</c> in the ack.</summary>
/// <param name="Code">One of <see cref="ChatErrorCodes"/>.</param>
/// <param name="Message">A sentence for people.</param>
/// <param name="Field">The offending field, for validation errors.</param>
/// <param name="RetryAfterMs">For rate limiting: when the next message will be accepted.</param>
public sealed record ChatError(string Code, string Message, string? Field = null, int? RetryAfterMs = null)
{
    /// <summary>A validation error.</summary>
    public static ChatError Invalid(string field, string message) => new(ChatErrorCodes.InvalidPayload, message, field);
}
