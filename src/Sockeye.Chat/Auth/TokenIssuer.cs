using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Auth;

/// <summary>A signed token and when it expires.</summary>
/// <param name="Token">The compact JWT.</param>
/// <param name="ExpiresAt">Its expiry.</param>
public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>Issues the development login's tokens (HS256, the service's own issuer and audience).</summary>
public sealed class TokenIssuer(ChatSettings settings, SigningKeyProvider keys, TimeProvider time)
{
    /// <summary>How long an issued token is valid.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(12);

    /// <summary>Issues a token whose subject is <paramref name="username"/>; admin users also get <c>role: admin</c>.</summary>
    public IssuedToken Issue(string username) => Issue(username, Lifetime);

    /// <summary>Issues a token with a chosen lifetime (negative for an already expired token, in tests).</summary>
    public IssuedToken Issue(string username, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        var now = time.GetUtcNow();
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, username), new(JwtRegisteredClaimNames.Name, username) };
        if (settings.AdminUsers.Contains(username))
        {
            claims.Add(new Claim(ChatClaims.Role, ChatClaims.AdminRole));
        }

        var expires = now + lifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.JwtIssuer,
            Audience = settings.JwtAudience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = (lifetime < TimeSpan.Zero ? expires - TimeSpan.FromMinutes(1) : now).UtcDateTime,
            NotBefore = (lifetime < TimeSpan.Zero ? expires - TimeSpan.FromMinutes(1) : now).UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        };
        return new IssuedToken(new JsonWebTokenHandler().CreateToken(descriptor), expires);
    }
}
