namespace Sockeye.Chat.Auth;

/// <summary>Claim names the service relies on.</summary>
public static class ChatClaims
{
    /// <summary>The user id: the token's subject.</summary>
    public const string UserId = "sub";

    /// <summary>The role claim.</summary>
    public const string Role = "role";

    /// <summary>The role allowed to broadcast alerts.</summary>
    public const string AdminRole = "admin";

    /// <summary>The authorization policy name for admins.</summary>
    public const string AdminPolicy = "admin";
}
