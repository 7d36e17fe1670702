using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sockeye.Chat.Tests.Infrastructure;

/// <summary>
/// A minimal OpenID Connect authority on loopback: discovery metadata and a JWKS with one RSA key, and tokens signed
/// with that key, as an identity provider would issue them.
/// </summary>
public sealed class OpenIdAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OpenIdAuthority(WebApplication app, Uri address, RSA key)
    {
        _app = app;
        Address = address;
        Key = key;
    }

    public Uri Address { get; }

    /// <summary>The issuer the metadata announces: the authority's own address, without a trailing slash.</summary>
    public string Issuer => Address.ToString().TrimEnd('/');

    public RSA Key { get; }

    public static async Task<OpenIdAuthority> StartAsync()
    {
        var key = RSA.Create(2048);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(includePrivateParameters: false)) { KeyId = "authority-key" });
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
        {
            var issuer = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(new { issuer, jwks_uri = issuer + "/jwks" });
        });
        app.MapGet("/jwks", () => Results.Json(new
        {
            keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } },
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OpenIdAuthority(app, new Uri(address), key);
    }

    /// <summary>A token for <paramref name="userId"/> signed with <paramref name="credentials"/> (the authority's key by default).</summary>
    public string Issue(string userId, string audience, SigningCredentials? credentials = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", userId)]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = credentials ?? new SigningCredentials(new RsaSecurityKey(Key) { KeyId = "authority-key" }, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>The public key as the JWKS publishes it: what an attacker can read and try as an HMAC secret.</summary>
    public string PublicJwks() => JsonSerializer.Serialize(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Key.ExportParameters(false))));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
