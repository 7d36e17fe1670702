using System.Text.Json;
using Sockeye.Recovery;

namespace Sockeye.Redis.Internal.Recovery;

/// <summary>
/// Sessions as JSON: <c>{"sid","nsp","rooms":[...],"data":{...},"at":ms}</c>. Data values are serialized with the
/// server's <see cref="SocketIOOptions.JsonSerializerOptions"/> and come back as <see cref="JsonElement"/>.
/// </summary>
internal static class SessionJson
{
    /// <summary>Encodes a session; without <paramref name="withTime"/> the bytes depend only on what a restore gives
    /// back, so that unchanged snapshots compare equal.</summary>
    public static byte[] Encode(RecoverySession session, bool withTime, JsonSerializerOptions options)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sid", session.Sid);
            writer.WriteString("nsp", session.Namespace);
            writer.WriteStartArray("rooms");
            foreach (var room in session.Rooms)
            {
                writer.WriteStringValue(room);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("data");
            foreach (var (key, value) in session.Data)
            {
                writer.WritePropertyName(key);
                JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object), options);
            }

            writer.WriteEndObject();
            if (withTime)
            {
                writer.WriteNumber("at", session.DisconnectedAt.ToUnixTimeMilliseconds());
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a session; <paramref name="takenAt"/> stands for the time of a snapshot (which has none).</summary>
    /// <exception cref="JsonException">Not a session.</exception>
    public static RecoverySession Decode(string pid, ReadOnlySpan<byte> json, DateTimeOffset takenAt)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        var rooms = new List<string>();
        foreach (var room in root.GetProperty("rooms").EnumerateArray())
        {
            rooms.Add(room.GetString() ?? throw new JsonException("A room is not a string."));
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (root.TryGetProperty("data", out var values))
        {
            foreach (var property in values.EnumerateObject())
            {
                data[property.Name] = property.Value.Clone();
            }
        }

        var at = root.TryGetProperty("at", out var time) ? DateTimeOffset.FromUnixTimeMilliseconds(time.GetInt64()) : takenAt;
        return new RecoverySession(
            pid,
            root.GetProperty("sid").GetString() ?? throw new JsonException("No sid."),
            root.GetProperty("nsp").GetString() ?? throw new JsonException("No namespace."),
            rooms,
            data,
            at);
    }
}
