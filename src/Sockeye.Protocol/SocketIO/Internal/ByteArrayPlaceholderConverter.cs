using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>Writes a <see cref="byte"/> array as a placeholder inside a capture scope, and as base64 otherwise.</summary>
internal sealed class ByteArrayPlaceholderConverter : JsonConverter<byte[]>, IPlaceholderConverter
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.GetBytesFromBase64();
        }

        // Hand out the decoder's own copy when it covers a whole array: attachments can be large, and copying them
        // again for every handler would double the memory of a binary packet.
        var bytes = Placeholder.Read(ref reader);
        return MemoryMarshal.TryGetArray(bytes, out var segment)
            && segment.Offset == 0
            && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        var sink = PlaceholderScope.Sink;
        if (sink is null)
        {
            writer.WriteBase64StringValue(value);
            return;
        }

        Placeholder.Write(writer, sink.Count - PlaceholderScope.SinkStart);
        sink.Add(value);
    }
}
