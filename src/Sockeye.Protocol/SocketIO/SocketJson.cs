using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sockeye.Protocol.SocketIO.Internal;

namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// System.Text.Json support for Socket.IO binary attachments: <see cref="byte"/> arrays,
/// <see cref="ReadOnlyMemory{T}"/> and <see cref="Memory{T}"/> of bytes travel as
/// <c>{"_placeholder":true,"num":i}</c> in the JSON and as separate binary messages on the wire.
/// </summary>
public static class SocketJson
{
    /// <summary>
    /// Returns a read-only copy of <paramref name="baseOptions"/> (or of <see cref="JsonSerializerOptions.Web"/>) with
    /// the placeholder converters for <see cref="byte"/> arrays, <see cref="ReadOnlyMemory{T}"/> and
    /// <see cref="Memory{T}"/> of bytes.
    /// </summary>
    /// <remarks>
    /// Inside a <see cref="Capture"/> scope the converters write a placeholder and collect the bytes (by reference, not
    /// copied); inside a <see cref="Resolve"/> scope they read a placeholder back as the attachment bytes (sharing the
    /// attachment's buffer). Outside any scope they keep the usual base64 form. The copy is made read-only so its
    /// metadata cache is built once and can be shared by every connection.
    /// </remarks>
    /// <param name="baseOptions">Options to copy, or <see langword="null"/> for the web defaults.</param>
    /// <returns>The new options.</returns>
    public static JsonSerializerOptions CreateOptions(JsonSerializerOptions? baseOptions = null)
    {
        var options = baseOptions is null
            ? new JsonSerializerOptions(JsonSerializerDefaults.Web)
            : new JsonSerializerOptions(baseOptions);
        if (!HasPlaceholderConverters(options))
        {
            // Ahead of any user converter, so binary values always become attachments.
            options.Converters.Insert(0, new ByteArrayPlaceholderConverter());
            options.Converters.Insert(1, new ReadOnlyMemoryPlaceholderConverter());
            options.Converters.Insert(2, new MemoryPlaceholderConverter());
        }

        if (options.TypeInfoResolver is null)
        {
            // Reflection when the application allows it, as JsonSerializer does; a trimmed or AOT application has it
            // off and must pass options with a source-generated resolver.
            options.TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
                ? CreateReflectionResolver()
                : JsonTypeInfoResolver.Combine();
        }

        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Starts collecting binary values written on this thread by serializers using <see cref="CreateOptions"/> options:
    /// each is appended to <paramref name="attachments"/> and written as a placeholder numbered from 0 at the list's
    /// current count.
    /// </summary>
    /// <param name="attachments">Receives the binary values in placeholder order.</param>
    /// <returns>The scope; dispose it when the serialization is done.</returns>
    public static SocketJsonCaptureScope Capture(List<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        return new SocketJsonCaptureScope(attachments);
    }

    /// <summary>
    /// Starts resolving placeholders read on this thread by deserializers using <see cref="CreateOptions"/> options
    /// against <paramref name="attachments"/>.
    /// </summary>
    /// <param name="attachments">The attachments of the packet being read.</param>
    /// <returns>The scope; dispose it when the deserialization is done.</returns>
    public static SocketJsonResolveScope Resolve(IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        return new SocketJsonResolveScope(attachments);
    }

    /// <summary>Deserializes an element that may contain placeholders, resolving them against <paramref name="attachments"/>.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="element">The JSON, typically one argument of a decoded packet.</param>
    /// <param name="attachments">The packet's attachments.</param>
    /// <param name="options">Options from <see cref="CreateOptions"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The JSON does not match <typeparamref name="T"/>.</exception>
    /// <exception cref="SocketProtocolException">A placeholder names an attachment that does not exist.</exception>
    public static T? Deserialize<T>(
        JsonElement element,
        IReadOnlyList<ReadOnlyMemory<byte>> attachments,
        JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        using (Resolve(attachments))
        {
            return element.Deserialize(typeInfo);
        }
    }

    /// <summary>Deserializes an element that may contain placeholders into a type known only at run time.</summary>
    /// <param name="element">The JSON, typically one argument of a decoded packet.</param>
    /// <param name="returnType">The type to read.</param>
    /// <param name="attachments">The packet's attachments.</param>
    /// <param name="options">Options from <see cref="CreateOptions"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The JSON does not match <paramref name="returnType"/>.</exception>
    /// <exception cref="SocketProtocolException">A placeholder names an attachment that does not exist.</exception>
    public static object? Deserialize(
        JsonElement element,
        Type returnType,
        IReadOnlyList<ReadOnlyMemory<byte>> attachments,
        JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(returnType);
        ArgumentNullException.ThrowIfNull(options);
        var typeInfo = options.GetTypeInfo(returnType);
        using (Resolve(attachments))
        {
            return element.Deserialize(typeInfo);
        }
    }

    /// <summary>Whether <paramref name="element"/> is a placeholder <c>{"_placeholder":true,"num":i}</c> with an integer <c>num</c> ≥ 0.</summary>
    /// <param name="element">The element to test.</param>
    /// <param name="num">The attachment index, or -1 when the element is not a placeholder.</param>
    /// <returns><see langword="true"/> when the element is a placeholder.</returns>
    public static bool IsPlaceholder(JsonElement element, out int num)
    {
        num = -1;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty(Placeholder.FlagName, out var flag)
            || flag.ValueKind != JsonValueKind.True
            || !element.TryGetProperty(Placeholder.NumName, out var index)
            || index.ValueKind != JsonValueKind.Number
            || !index.TryGetInt32(out var value)
            || value < 0)
        {
            return false;
        }

        num = value;
        return true;
    }

    /// <summary>Returns the attachment a placeholder element stands for.</summary>
    /// <param name="element">The element, expected to be a placeholder.</param>
    /// <param name="attachments">The packet's attachments.</param>
    /// <param name="bytes">The attachment, or empty when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the element is a placeholder naming one of <paramref name="attachments"/>.</returns>
    public static bool TryGetAttachment(
        JsonElement element,
        IReadOnlyList<ReadOnlyMemory<byte>> attachments,
        out ReadOnlyMemory<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        if (IsPlaceholder(element, out var num) && num < attachments.Count)
        {
            bytes = attachments[num];
            return true;
        }

        bytes = default;
        return false;
    }

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026:RequiresUnreferencedCode",
        Justification = "Only called when JsonSerializer.IsReflectionEnabledByDefault is on, which trimming and AOT turn off.")]
    [UnconditionalSuppressMessage(
        "AOT",
        "IL3050:RequiresDynamicCode",
        Justification = "Only called when JsonSerializer.IsReflectionEnabledByDefault is on, which trimming and AOT turn off.")]
    private static DefaultJsonTypeInfoResolver CreateReflectionResolver() => new();

    /// <summary>Whether <paramref name="options"/> carry the placeholder converters added by <see cref="CreateOptions"/>.</summary>
    internal static bool HasPlaceholderConverters(JsonSerializerOptions options)
    {
        // Indexing avoids boxing an enumerator on every encode.
        var converters = options.Converters;
        for (var i = 0; i < converters.Count; i++)
        {
            if (converters[i] is IPlaceholderConverter)
            {
                return true;
            }
        }

        return false;
    }
}
