using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sockeye.Chat.Auth;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Realtime;

public sealed class ChatAuthTests
{
    [Fact]
    public async Task A_valid_token_connects_and_the_user_id_comes_from_the_token()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);

        var connected = await clients.ConnectAsync("ada", await server.TokenAsync("ada"));
        Assert.Equal("connected", connected.GetProperty("event").GetString());

        var ack = await clients.EmitWithAckAsync("ada", "chat_message", new { text = "hi", user_id = "mallory" });
        Assert.Equal("ada", ack.GetProperty("user_id").GetString());
    }

    [Theory]
    [InlineData("missing", AuthFailure.Missing)]
    [InlineData("garbage", AuthFailure.Invalid)]
    [InlineData("expired", AuthFailure.Expired)]
    [InlineData("not-yet-valid", AuthFailure.NotYetValid)]
    [InlineData("rs256-attacker-key", AuthFailure.Invalid)]
    [InlineData("wrong-key", AuthFailure.Invalid)]
    [InlineData("alg-none", AuthFailure.Invalid)]
    [InlineData("wrong-issuer", AuthFailure.Invalid)]
    [InlineData("wrong-audience", AuthFailure.Invalid)]
    [InlineData("oversized", AuthFailure.Invalid)]
    public async Task Bad_tokens_are_refused_before_the_socket_exists_with_a_precise_code(string kind, string code)
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        var issuer = server.Services.GetRequiredService<TokenIssuer>();
        var token = kind switch
        {
            "missing" => null,
            "garbage" => "not-a-jwt",
            "expired" => issuer.Issue("ada", TimeSpan.FromMinutes(-5)).Token,
            "not-yet-valid" => Sign("sockeye-chat", "sockeye-chat", server.SigningKey, notBefore: DateTime.UtcNow.AddMinutes(10)),
            "rs256-attacker-key" => SignWithOwnRsaKey(),
            "wrong-key" => Sign("sockeye-chat", "sockeye-chat", new string('k', 40)),
            "alg-none" => Unsigned(),
            "wrong-issuer" => Sign("someone-else", "sockeye-chat", server.SigningKey),
            "wrong-audience" => Sign("sockeye-chat", "another-api", server.SigningKey),
            _ => new string('a', 10_000),
        };

        var outcome = await clients.ConnectAsync("eve", token);

        Assert.Equal("connect_error", outcome.GetProperty("event").GetString());
        Assert.Equal("unauthorized", outcome.GetProperty("message").GetString());
        Assert.Equal(code, outcome.GetProperty("data").GetProperty("code").GetString());
        Assert.Empty(server.Services.GetRequiredService<SocketIOServer>().Sockets.Sockets);
    }

    [Fact]
    public async Task The_token_may_come_from_the_authorization_header_or_the_access_token_query()
    {
        await using var server = await ChatServer.StartAsync();
        await using var clients = await ChatClients.StartAsync(server.BaseAddress);
        var token = await server.TokenAsync("bob");

        var byHeader = await clients.ConnectAsync("header", null, ["polling"], headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });
        var byQuery = await clients.ConnectAsync("query", null, query: new Dictionary<string, string> { ["access_token"] = token });

        Assert.Equal("connected", byHeader.GetProperty("event").GetString());
        Assert.Equal("connected", byQuery.GetProperty("event").GetString());
    }

    private static string Sign(string issuer, string audience, string key, DateTime? notBefore = null)
    {
        var bytes = Convert.TryFromBase64String(key, new byte[key.Length], out var n) && n >= 32 ? Convert.FromBase64String(key) : Encoding.UTF8.GetBytes(key);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "eve")]),
            NotBefore = notBefore,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(bytes), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A well-formed token signed RS256 with a key the attacker made: the service accepts only its own HS256 key.</summary>
    private static string SignWithOwnRsaKey()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "sockeye-chat",
            Audience = "sockeye-chat",
            Subject = new ClaimsIdentity([new Claim("sub", "eve")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256),
        });
    }

    private static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Part("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Part($"{{\"sub\":\"eve\",\"iss\":\"sockeye-chat\",\"aud\":\"sockeye-chat\",\"exp\":{expires}}}")}.";
    }
}
