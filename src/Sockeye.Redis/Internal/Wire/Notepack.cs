using System.Buffers;
using System.Collections;
using System.Text.Json;
using MessagePack;

namespace Sockeye.Redis.Internal.Wire;

/// <summary>
/// MessagePack as <c>notepack.io</c> (the codec of the Node Redis adapter and emitter) writes and reads it, for plain
/// trees: <see cref="Dictionary{TKey, TValue}"/> of string to value for maps, <c>object?[]</c> for arrays, strings,
/// <see cref="long"/>/<see cref="ulong"/>/<see cref="double"/>, booleans, <see langword="null"/> and <c>byte[]</c>.
/// </summary>
/// <remarks>
/// Numbers follow JavaScript: an integral value is written in the smallest integer format (unsigned formats for
/// positive values), any other as float64. Decoding accepts notepack's legacy <c>undefined</c> (fixext1 <c>d4 00 00</c>):
/// a map entry holding it is dropped, an array item becomes <see langword="null"/> (PROTOCOL.md §4.1).
/// </remarks>
internal static class Notepack
{
    private const sbyte TimestampExtension = -1;

    /// <summary>How deeply arrays and maps may nest in a decoded message.</summary>
    /// <remarks>
    /// The decoder recurses once per level, so without a bound a message of nested one-item arrays (one byte per level)
    /// overflows the stack and ends the process. Socket.IO packets nest at most 64 levels of JSON, plus the envelope.
    /// </remarks>
    public const int MaxDepth = 100;

    /// <summary>Encodes a tree.</summary>
    public static byte[] Encode(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a tree.</summary>
    /// <exception cref="ArgumentException">A value of a type that is not part of a plain tree.</exception>
    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case string text:
                writer.Write(text);
                break;
            case bool flag:
                writer.Write(flag);
                break;
            case long number:
                writer.Write(number);
                break;
            case int number:
                writer.Write((long)number);
                break;
            case ulong number:
                writer.Write(number);
                break;
            case double number:
                WriteNumber(ref writer, number);
                break;
            case byte[] bytes:
                writer.Write(bytes.AsSpan());
                break;
            case ReadOnlyMemory<byte> memory:
                writer.Write(memory.Span);
                break;
            case JsonElement element:
                WriteJson(ref writer, element);
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.Write(key);
                    Write(ref writer, item);
                }

                break;
            case IReadOnlyList<object?> list:
                writer.WriteArrayHeader(list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    Write(ref writer, list[i]);
                }

                break;
            case IEnumerable<string> strings:
                var all = strings as IReadOnlyCollection<string> ?? [.. strings];
                writer.WriteArrayHeader(all.Count);
                foreach (var item in all)
                {
                    writer.Write(item);
                }

                break;
            default:
                throw new ArgumentException($"A {value.GetType()} is not a plain tree value; convert it with WireValues first.", nameof(value));
        }
    }

    /// <summary>Decodes one tree.</summary>
    /// <remarks>
    /// Throws <c>MessagePackSerializationException</c> when the bytes are not MessagePack, are truncated or nest deeper
    /// than <see cref="MaxDepth"/>.
    /// </remarks>
    public static object? Decode(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        try
        {
            return Read(ref reader, 0, out _);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentOutOfRangeException)
        {
            // MessagePackReader reports a truncated message as the end of a stream, and a str32/bin32 length above
            // int.MaxValue as an out-of-range argument; callers expect one kind of error for any malformed message.
            throw new MessagePackSerializationException($"Invalid MessagePack: {ex.Message}", ex);
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, double number)
    {
        // JavaScript has one number type: notepack writes an integral value as an integer.
        if (double.IsInteger(number) && number >= long.MinValue && number < 9.2233720368547758E+18)
        {
            writer.Write((long)number);
        }
        else
        {
            writer.Write(number);
        }
    }

    private static void WriteJson(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in element.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    WriteJson(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    WriteJson(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    writer.Write(integer);
                }
                else if (element.TryGetUInt64(out var unsigned))
                {
                    writer.Write(unsigned);
                }
                else
                {
                    WriteNumber(ref writer, element.GetDouble());
                }

                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    private static object? Read(ref MessagePackReader reader, int depth, out bool undefined)
    {
        undefined = false;
        if (depth > MaxDepth)
        {
            throw new MessagePackSerializationException($"MessagePack nests deeper than {MaxDepth} levels.");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    var unsigned = reader.ReadUInt64();
                    return unsigned <= long.MaxValue ? (long)unsigned : unsigned;
                }

                return reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBytes()?.ToArray();
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                var array = new object?[length];
                for (var i = 0; i < length; i++)
                {
                    array[i] = Read(ref reader, depth + 1, out _);
                }

                return array;
            case MessagePackType.Map:
                var entries = reader.ReadMapHeader();
                var map = new Dictionary<string, object?>(entries, StringComparer.Ordinal);
                for (var i = 0; i < entries; i++)
                {
                    var key = Read(ref reader, depth + 1, out _);
                    var item = Read(ref reader, depth + 1, out var skip);
                    if (!skip)
                    {
                        map[key as string ?? Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = item;
                    }
                }

                return map;
            case MessagePackType.Extension:
                var peek = reader.CreatePeekReader();
                var header = peek.ReadExtensionFormatHeader();
                if (header.TypeCode == TimestampExtension)
                {
                    return new DateTimeOffset(reader.ReadDateTime());
                }

                // notepack's undefined (fixext1 type 0) and any extension we do not know: no value.
                var extension = reader.ReadExtensionFormatHeader();
                reader.ReadRaw(extension.Length);
                undefined = true;
                return null;
            default:
                throw new MessagePackSerializationException($"Unexpected MessagePack code 0x{reader.NextCode:x2}.");
        }
    }
}
