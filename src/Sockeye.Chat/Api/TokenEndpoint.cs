using Microsoft.AspNetCore.Http.HttpResults;
using Sockeye.Chat.Auth;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Api;

/// <summary><c>POST /api/auth/token</c>: the development login.</summary>
internal static class TokenEndpoint
{
    /// <summary>The longest user name the development login accepts.</summary>
    public const int UsernameMaxLength = 32;

    public static RouteHandlerBuilder MapTokenEndpoint(this IEndpointRouteBuilder api) =>
        api.MapPost("/auth/token", Issue)
            .WithName("IssueDevelopmentToken")
            .WithSummary("Development login")
            .WithDescription("Issues a signed JWT for any valid user name. Enabled by DEV_LOGIN (default: in Development only); 404 otherwise.")
            .AllowAnonymous();

    public static bool IsValidUsername(string? username)
    {
        if (string.IsNullOrEmpty(username) || username.Length > UsernameMaxLength)
        {
            return false;
        }

        foreach (var c in username)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult> Issue(TokenRequest? request, ChatSettings settings, TokenIssuer issuer)
    {
        if (!settings.DevLogin)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Development login is disabled",
                detail: "Tokens come from the identity provider; set DEV_LOGIN=true to enable this endpoint.");
        }

        var username = request?.Username;
        if (!IsValidUsername(username))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = [$"1 to {UsernameMaxLength} characters: ASCII letters, digits, '_' and '-'."],
            });
        }

        var issued = issuer.Issue(username!);
        return TypedResults.Ok(new TokenResponse(issued.Token, username!, issued.ExpiresAt));
    }
}
