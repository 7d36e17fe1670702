using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Auth;

/// <summary>
/// The HMAC key that signs and validates tokens: <c>JWT_SIGNING_KEY</c> when set, otherwise a development key
/// generated once and kept in the data folder, so tokens survive a restart.
/// </summary>
public sealed class SigningKeyProvider
{
    private const int MinimumKeyBytes = 32;

    /// <summary>Loads or creates the key.</summary>
    public SigningKeyProvider(ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var bytes = settings.JwtSigningKey is { } configured ? Decode(configured) : LoadOrCreate(Path.Combine(settings.DataDirectory, "jwt-signing.key"));
        Key = new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes))[..16] };
    }

    /// <summary>The key.</summary>
    public SymmetricSecurityKey Key { get; }

    private static byte[] Decode(string configured)
    {
        var buffer = new byte[configured.Length];
        var bytes = Convert.TryFromBase64String(configured, buffer, out var written) && written >= MinimumKeyBytes
            ? buffer[..written]
            : System.Text.Encoding.UTF8.GetBytes(configured);
        return bytes.Length >= MinimumKeyBytes
            ? bytes
            : throw new InvalidOperationException($"JWT_SIGNING_KEY must be at least {MinimumKeyBytes} bytes (base64 or text).");
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var bytes = RandomNumberGenerator.GetBytes(MinimumKeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Convert.ToBase64String(bytes));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return bytes;
    }
}
