using System.Text.Json;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>
/// The arguments of an event or an acknowledgement as they arrived: JSON values, with binary attachments kept
/// aside and referenced by placeholders.
/// </summary>
public class SocketArguments
{
    private readonly JsonSerializerOptions _options;

    internal SocketArguments(IReadOnlyList<JsonElement> args, IReadOnlyList<ReadOnlyMemory<byte>> attachments, JsonSerializerOptions options)
    {
        Args = args;
        Attachments = attachments;
        _options = options;
    }

    /// <summary>The arguments. A binary argument reads as a placeholder object; use <see cref="GetBytes"/>.</summary>
    public IReadOnlyList<JsonElement> Args { get; }

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>The number of arguments.</summary>
    public int Count => Args.Count;

    /// <summary>
    /// Deserializes an argument with System.Text.Json; <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> members
    /// receive the binary attachments.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no argument at <paramref name="index"/>.</exception>
    /// <exception cref="JsonException">The argument does not fit <typeparamref name="T"/>.</exception>
    public T? GetArg<T>(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Args.Count);
        return SocketJson.Deserialize<T>(Args[index], Attachments, _options);
    }

    /// <summary>The bytes of a binary argument.</summary>
    /// <exception cref="InvalidOperationException">The argument is not binary.</exception>
    public ReadOnlyMemory<byte> GetBytes(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Args.Count);
        return SocketJson.TryGetAttachment(Args[index], Attachments, out var bytes)
            ? bytes
            : throw new InvalidOperationException($"Argument {index} is not binary.");
    }

    /// <summary>
    /// The arguments as plain objects to send back unchanged: JSON values as they are, binary placeholders replaced by
    /// their bytes (so an echo re-sends the binary as binary).
    /// </summary>
    public object?[] ToEchoArgs()
    {
        var result = new object?[Args.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Attachments.Count == 0 ? Args[i] : SocketJson.Deserialize<EchoValue>(Args[i], Attachments, _options)?.Value;
        }

        return result;
    }

    internal static SocketArguments FromArray(JsonElement array, int skip, IReadOnlyList<ReadOnlyMemory<byte>> attachments, JsonSerializerOptions options)
    {
        var count = array.GetArrayLength() - skip;
        if (count <= 0)
        {
            return new SocketArguments([], attachments, options);
        }

        var args = new JsonElement[count];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (i >= skip)
            {
                args[i - skip] = item;
            }

            i++;
        }

        return new SocketArguments(args, attachments, options);
    }
}
