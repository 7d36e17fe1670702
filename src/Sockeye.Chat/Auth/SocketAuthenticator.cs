using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Sockeye.Chat.Auth;

/// <summary>The outcome of authenticating a connection.</summary>
/// <param name="User">The validated identity, or null.</param>
/// <param name="FailureCode">One of <see cref="AuthFailure"/> when <paramref name="User"/> is null.</param>
public sealed record AuthResult(ClaimsPrincipal? User, string? FailureCode);

/// <summary>
/// Validates the token a Socket.IO client presents at connect with the JwtBearer handler's own settings
/// (<see cref="JwtBearerOptions"/>), so a local key and an external authority work alike.
/// </summary>
public sealed class SocketAuthenticator(IOptionsMonitor<JwtBearerOptions> bearerOptions)
{
    /// <summary>Tokens longer than this are refused without parsing.</summary>
    public const int MaxTokenLength = 8192;

    /// <summary>Finds the token in the CONNECT auth payload, the Authorization header or the access_token query.</summary>
    public static string? FindToken(SocketHandshake handshake)
    {
        ArgumentNullException.ThrowIfNull(handshake);
        if (handshake.Auth.ValueKind == JsonValueKind.Object
            && handshake.Auth.TryGetProperty("token", out var token)
            && token.ValueKind == JsonValueKind.String)
        {
            return token.GetString();
        }

        var header = handshake.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        var query = handshake.Query["access_token"].ToString();
        return query.Length > 0 ? query : null;
    }

    /// <summary>Validates the connection's token.</summary>
    public async Task<AuthResult> AuthenticateAsync(SocketHandshake handshake, CancellationToken cancellationToken)
    {
        var token = FindToken(handshake);
        if (string.IsNullOrEmpty(token))
        {
            return new AuthResult(null, AuthFailure.Missing);
        }

        if (token.Length > MaxTokenLength)
        {
            return new AuthResult(null, AuthFailure.Invalid);
        }

        var options = bearerOptions.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is { } manager)
        {
            // External authority: its signing keys and issuer come from the OpenID Connect metadata, as for HTTP.
            var configuration = await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            if (configuration is OpenIdConnectConfiguration oidc)
            {
                parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. oidc.SigningKeys];
                parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], oidc.Issuer];
            }
        }

        foreach (var handler in options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
            if (result.IsValid)
            {
                return new AuthResult(new ClaimsPrincipal(result.ClaimsIdentity), null);
            }

            if (result.Exception is SecurityTokenExpiredException)
            {
                return new AuthResult(null, AuthFailure.Expired);
            }

            if (result.Exception is SecurityTokenNotYetValidException)
            {
                return new AuthResult(null, AuthFailure.NotYetValid);
            }
        }

        return new AuthResult(null, AuthFailure.Invalid);
    }
}
