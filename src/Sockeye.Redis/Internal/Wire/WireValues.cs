using System.Text.Json;
using Sockeye.Protocol.SocketIO;

namespace Sockeye.Redis.Internal.Wire;

/// <summary>Turns application values into plain trees and reads fields out of decoded trees.</summary>
internal static class WireValues
{
    /// <summary>
    /// Converts values of any type to plain trees, through System.Text.Json with the server's options so that they
    /// look exactly as a client would receive them; binary values (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>)
    /// stay binary.
    /// </summary>
    public static object?[] FromObjects(IReadOnlyList<object?> values, JsonSerializerOptions options)
    {
        if (values.Count == 0)
        {
            return [];
        }

        var attachments = new List<ReadOnlyMemory<byte>>();
        byte[] json;
        using (SocketJson.Capture(attachments))
        {
            json = JsonSerializer.SerializeToUtf8Bytes(values, options.GetTypeInfo(typeof(IReadOnlyList<object?>)));
        }

        using var document = JsonDocument.Parse(json);
        return (object?[])FromJson(document.RootElement, attachments)!;
    }

    /// <summary>Converts one value, as <see cref="FromObjects"/>.</summary>
    public static object? FromObject(object? value, JsonSerializerOptions options) => FromObjects([value], options)[0];

    /// <summary>Converts JSON to a tree, replacing Socket.IO placeholders by their attachment.</summary>
    public static object? FromJson(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (attachments.Count > 0 && SocketJson.TryGetAttachment(element, attachments, out var bytes))
                {
                    return bytes.ToArray();
                }

                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = FromJson(property.Value, attachments);
                }

                return map;
            case JsonValueKind.Array:
                var array = new object?[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    array[i++] = FromJson(item, attachments);
                }

                return array;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    return integer;
                }

                return element.TryGetUInt64(out var unsigned) ? unsigned : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>Whether a tree holds binary anywhere (then only MessagePack can carry it as is).</summary>
    public static bool ContainsBinary(object? value) => value switch
    {
        byte[] or ReadOnlyMemory<byte> => true,
        IReadOnlyDictionary<string, object?> map => map.Values.Any(ContainsBinary),
        IReadOnlyList<object?> list => list.Any(ContainsBinary),
        _ => false,
    };

    /// <summary>Decodes a request or response: JSON when it starts with <c>{</c>, MessagePack otherwise (PROTOCOL.md §4.1).</summary>
    public static Dictionary<string, object?>? DecodeMessage(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        var tree = bytes.Span[0] == (byte)'{' ? WireJson.Decode(bytes) : Notepack.Decode(bytes);
        return tree as Dictionary<string, object?>;
    }

    /// <summary>Encodes a request or response: JSON, as the Node adapter does, unless it holds binary.</summary>
    public static byte[] EncodeMessage(Dictionary<string, object?> message) =>
        ContainsBinary(message) ? Notepack.Encode(message) : WireJson.Encode(message);

    public static object? Field(this IReadOnlyDictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var value) ? value : null;

    public static string? String(this IReadOnlyDictionary<string, object?> map, string key) => map.Field(key) switch
    {
        string text => text,
        null => null,
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    public static long? Integer(this IReadOnlyDictionary<string, object?> map, string key) => map.Field(key) switch
    {
        long number => number,
        ulong number => (long)number,
        double number => (long)number,
        _ => null,
    };

    public static bool Flag(this IReadOnlyDictionary<string, object?> map, string key) => map.Field(key) is true;

    public static IReadOnlyDictionary<string, object?>? Map(this IReadOnlyDictionary<string, object?> map, string key) =>
        map.Field(key) as IReadOnlyDictionary<string, object?>;

    public static object?[]? Array(this IReadOnlyDictionary<string, object?> map, string key) => map.Field(key) as object?[];

    /// <summary>A list of room names (numbers are accepted as their text, as the Node adapter treats numeric rooms).</summary>
    public static HashSet<string> Strings(this IReadOnlyDictionary<string, object?> map, string key)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (map.Field(key) is object?[] items)
        {
            foreach (var item in items)
            {
                if (item is not null)
                {
                    result.Add(item as string ?? Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture)!);
                }
            }
        }

        return result;
    }
}
