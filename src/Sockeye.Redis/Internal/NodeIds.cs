using System.Security.Cryptography;

namespace Sockeye.Redis.Internal;

/// <summary>Node and request ids: 6 URL-safe random characters, as <c>uid2(6)</c> makes them.</summary>
internal static class NodeIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 6);
}
