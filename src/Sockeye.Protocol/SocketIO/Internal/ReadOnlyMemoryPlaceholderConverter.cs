using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>Writes a <see cref="ReadOnlyMemory{T}"/> of bytes as a placeholder inside a capture scope, and as base64 otherwise.</summary>
internal sealed class ReadOnlyMemoryPlaceholderConverter : JsonConverter<ReadOnlyMemory<byte>>, IPlaceholderConverter
{
    // A null token reads as empty memory, as the built-in converter does.
    public override bool HandleNull => true;

    public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => default,
            JsonTokenType.StartObject => Placeholder.Read(ref reader),
            _ => reader.GetBytesFromBase64(),
        };

    public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options)
    {
        var sink = PlaceholderScope.Sink;
        if (sink is null)
        {
            writer.WriteBase64StringValue(value.Span);
            return;
        }

        Placeholder.Write(writer, sink.Count - PlaceholderScope.SinkStart);
        sink.Add(value);
    }
}
