using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Sockeye.Chat.Auth;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Realtime;

/// <summary>
/// With <c>JWT_AUTHORITY</c>, tokens are checked against the keys an OpenID Connect authority publishes: only its
/// asymmetric signatures pass. A token signed with HMAC using the published public key as the secret (the RS/HS
/// confusion attack) or with another RSA key is refused with <c>AUTH_INVALID</c>.
/// </summary>
public sealed class ChatAuthorityTests
{
    [Theory]
    [InlineData("authority", null)]
    [InlineData("hs256-with-public-key", AuthFailure.Invalid)]
    [InlineData("rs256-other-key", AuthFailure.Invalid)]
    [InlineData("wrong-audience", AuthFailure.Invalid)]
    public async Task Only_tokens_signed_by_the_authority_connect(string kind, string? code)
    {
        await using var authority = await OpenIdAuthority.StartAsync();
        await using var server = await ChatServer.StartAsync(new Dictionary<string, string?>
        {
            ["JWT_AUTHORITY"] = authority.Issuer,
            ["JWT_AUDIENCE"] = "sockeye-chat",
        });
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        using var otherKey = RSA.Create(2048);
        var token = kind switch
        {
            "authority" => authority.Issue("ada", "sockeye-chat"),
            "hs256-with-public-key" => authority.Issue(
                "eve",
                "sockeye-chat",
                new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(authority.PublicJwks())), SecurityAlgorithms.HmacSha256)),
            "rs256-other-key" => authority.Issue("eve", "sockeye-chat", new SigningCredentials(new RsaSecurityKey(otherKey) { KeyId = "authority-key" }, SecurityAlgorithms.RsaSha256)),
            _ => authority.Issue("eve", "another-api"),
        };

        var outcome = await clients.ConnectAsync(kind, token);

        if (code is null)
        {
            Assert.Equal("connected", outcome.GetProperty("event").GetString());
            var ack = await clients.EmitWithAckAsync(kind, "chat_message", new { text = "hi" });
            Assert.Equal("ada", ack.GetProperty("user_id").GetString());
            return;
        }

        Assert.Equal("connect_error", outcome.GetProperty("event").GetString());
        Assert.Equal(code, outcome.GetProperty("data").GetProperty("code").GetString());
        Assert.Empty(server.Services.GetRequiredService<SocketIOServer>().Sockets.Sockets);
    }
}
