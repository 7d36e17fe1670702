using System.Text.Json;

namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>
/// Which payload each packet type may carry (socket.io-parser 4.2 <c>isPayloadValid</c>). A peer that breaks these
/// rules gets its connection closed, so the server never sees, for example, an EVENT without a name.
/// </summary>
internal static class SocketPayloadRules
{
    /// <exception cref="SocketProtocolException">The payload is not allowed for <paramref name="type"/>.</exception>
    public static void Validate(SocketPacketType type, JsonElement? data)
    {
        var error = type switch
        {
            SocketPacketType.Connect => data is null || data.Value.ValueKind == JsonValueKind.Object
                ? null
                : "a CONNECT payload must be a JSON object when present",
            SocketPacketType.Disconnect => data is null ? null : "a DISCONNECT packet must not carry a payload",
            SocketPacketType.ConnectError => data?.ValueKind is JsonValueKind.String or JsonValueKind.Object
                ? null
                : "a CONNECT_ERROR payload must be a JSON string or object",
            SocketPacketType.Event or SocketPacketType.BinaryEvent => CheckEvent(data),
            _ => data?.ValueKind == JsonValueKind.Array ? null : "an ACK payload must be a JSON array",
        };

        if (error is not null)
        {
            throw new SocketProtocolException("invalid payload: " + error);
        }
    }

    private static string? CheckEvent(JsonElement? data)
    {
        if (data?.ValueKind != JsonValueKind.Array || data.Value.GetArrayLength() == 0)
        {
            return "an EVENT payload must be a non-empty JSON array";
        }

        var name = data.Value[0];
        return name.ValueKind switch
        {
            JsonValueKind.Number => null,
            JsonValueKind.String when SocketReservedEventNames.IsReserved(name) => "the event name is reserved",
            JsonValueKind.String => null,
            _ => "an EVENT payload must start with a string or number event name",
        };
    }
}
