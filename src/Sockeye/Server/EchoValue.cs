using System.Text.Json;
using System.Text.Json.Serialization;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>
/// A JSON value with its binary placeholders resolved to <c>byte[]</c>, as a tree of dictionaries, lists and
/// <see cref="JsonElement"/> leaves, so that it serializes back to the same packet.
/// </summary>
[JsonConverter(typeof(EchoValueConverter))]
internal sealed class EchoValue
{
    public object? Value { get; init; }

    private sealed class EchoValueConverter : JsonConverter<EchoValue>
    {
        public override EchoValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var element = JsonElement.ParseValue(ref reader);
            return new EchoValue { Value = Convert(element, options) };
        }

        public override void Write(Utf8JsonWriter writer, EchoValue value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);

        private static object? Convert(JsonElement element, JsonSerializerOptions options)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (SocketJson.IsPlaceholder(element, out _))
                    {
                        // Resolved by the byte[] converter against the attachments of the current scope.
                        return element.Deserialize<byte[]>(options);
                    }

                    var map = new Dictionary<string, object?>();
                    foreach (var property in element.EnumerateObject())
                    {
                        map[property.Name] = Convert(property.Value, options);
                    }

                    return map;
                case JsonValueKind.Array:
                    var list = new List<object?>();
                    foreach (var item in element.EnumerateArray())
                    {
                        list.Add(Convert(item, options));
                    }

                    return list;
                default:
                    return element.Clone();
            }
        }
    }
}
