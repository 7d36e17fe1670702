using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Auth;

/// <summary>JWT authentication for HTTP and Socket.IO alike.</summary>
public static class AuthExtensions
{
    /// <summary>Adds JWT bearer validation (local key or external authority), the admin policy and the token issuer.</summary>
    public static IServiceCollection AddChatAuth(this IServiceCollection services, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<SocketAuthenticator>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeyProvider>((options, keys) =>
        {
            options.MapInboundClaims = false;
            var parameters = new TokenValidationParameters
            {
                ValidIssuer = settings.JwtIssuer,
                ValidAudience = settings.JwtAudience,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = ChatClaims.UserId,
                RoleClaimType = ChatClaims.Role,
            };
            if (settings.JwtAuthority is { } authority)
            {
                options.Authority = authority;
                options.Audience = settings.JwtAudience;
                options.RequireHttpsMetadata = authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

                // An authority publishes public keys: only asymmetric signatures, so a token "signed" with HMAC using a
                // published key as the secret never gets near validation.
                parameters.ValidAlgorithms =
                [
                    SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                    SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
                    SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
                ];
            }
            else
            {
                // Only the service's own key and algorithm: no "none", no RS/HS confusion.
                parameters.IssuerSigningKey = keys.Key;
                parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }

            options.TokenValidationParameters = parameters;
        });
        services.AddAuthorizationBuilder().AddPolicy(ChatClaims.AdminPolicy, policy => policy.RequireRole(ChatClaims.AdminRole));
        return services;
    }
}
