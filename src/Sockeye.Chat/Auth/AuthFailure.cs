namespace Sockeye.Chat.Auth;

/// <summary>Why a connection was refused, as the client reads it in <c>connect_error.data.code</c>.</summary>
public static class AuthFailure
{
    /// <summary>No token in <c>auth.token</c>, the <c>Authorization</c> header or the <c>access_token</c> query.</summary>
    public const string Missing = "AUTH_MISSING";

    /// <summary>The token is malformed, wrongly signed, unsigned, or for another issuer or audience.</summary>
    public const string Invalid = "AUTH_INVALID";

    /// <summary>The token has expired.</summary>
    public const string Expired = "AUTH_EXPIRED";

    /// <summary>The token is not valid yet (<c>nbf</c> in the future beyond the allowed clock skew).</summary>
    public const string NotYetValid = "AUTH_NOT_YET_VALID";
}
