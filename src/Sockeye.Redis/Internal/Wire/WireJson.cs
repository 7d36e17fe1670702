using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Sockeye.Redis.Internal.Wire;

/// <summary>JSON for the plain trees of <see cref="Notepack"/>: the text form of requests and responses (PROTOCOL.md §4.2).</summary>
internal static class WireJson
{
    /// <summary>Encodes a tree as UTF-8 JSON. Binary values, which JSON cannot carry, are written as Node writes a Buffer.</summary>
    public static byte[] Encode(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes UTF-8 JSON into a tree.</summary>
    /// <exception cref="JsonException">The bytes are not JSON.</exception>
    public static object? Decode(ReadOnlyMemory<byte> json)
    {
        // JsonDocument checks the UTF-8 of a string only when it is read, and then throws InvalidOperationException.
        if (!Utf8.IsValid(json.Span))
        {
            throw new JsonException("The message is not valid UTF-8.");
        }

        using var document = JsonDocument.Parse(json);
        return WireValues.FromJson(document.RootElement, []);
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time);
                break;
            case byte[] bytes:
                WriteBuffer(writer, bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                WriteBuffer(writer, memory.Span);
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                for (var i = 0; i < list.Count; i++)
                {
                    Write(writer, list[i]);
                }

                writer.WriteEndArray();
                break;
            case IEnumerable<string> strings:
                writer.WriteStartArray();
                foreach (var item in strings)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"A {value.GetType()} is not a plain tree value; convert it with WireValues first.", nameof(value));
        }
    }

    private static void WriteBuffer(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        // What JSON.stringify makes of a Node Buffer.
        writer.WriteStartObject();
        writer.WriteString("type", "Buffer");
        writer.WriteStartArray("data");
        foreach (var b in bytes)
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
