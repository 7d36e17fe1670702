namespace Sockeye.Chat.Api;

/// <summary>The body of <c>POST /api/auth/token</c>.</summary>
/// <param name="Username">1 to 32 characters: ASCII letters, digits, <c>_</c> and <c>-</c>.</param>
public sealed record TokenRequest(string? Username);

/// <summary>A development token.</summary>
/// <param name="Token">The JWT to send as <c>auth.token</c> or <c>Authorization: Bearer</c>.</param>
/// <param name="UserId">The user id the token carries.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record TokenResponse(string Token, string UserId, DateTimeOffset ExpiresAt);

/// <summary>Who is online in a room.</summary>
/// <param name="Room">The room.</param>
/// <param name="Users">The user ids, sorted.</param>
public sealed record PresenceResponse(string Room, IReadOnlyList<string> Users);

/// <summary>The body of <c>POST /api/broadcast</c>.</summary>
/// <param name="Message">The alert text: 1 to 4,000 characters after trimming.</param>
public sealed record BroadcastRequest(string? Message);

/// <summary>The <c>alert</c> event sent to the <c>chat</c> room.</summary>
/// <param name="Message">The alert text.</param>
/// <param name="Timestamp">When the server sent it.</param>
public sealed record AlertEvent(string Message, DateTimeOffset Timestamp);
