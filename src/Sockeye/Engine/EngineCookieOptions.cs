using Microsoft.AspNetCore.Http;

namespace Sockeye.Engine;

/// <summary>
/// The session cookie set on the polling handshake response, meant for load balancers with cookie-based sticky
/// sessions. Off by default, as in the reference server.
/// </summary>
public sealed class EngineCookieOptions
{
    /// <summary>The cookie name. Default <c>io</c>.</summary>
    public string Name { get; set; } = "io";

    /// <summary>The cookie path. Default <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>Whether the cookie is hidden from scripts. Default <see langword="true"/>.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>The SameSite mode. Default <see cref="SameSiteMode.Lax"/>.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>Whether the cookie is sent over HTTPS only. Default <see langword="false"/>.</summary>
    public bool Secure { get; set; }
}
