using System.Text.Json;

namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>Writes and reads the <c>{"_placeholder":true,"num":i}</c> object that stands for one attachment.</summary>
internal static class Placeholder
{
    public static ReadOnlySpan<byte> FlagName => "_placeholder"u8;

    public static ReadOnlySpan<byte> NumName => "num"u8;

    private static readonly JsonEncodedText s_flag = JsonEncodedText.Encode(FlagName);
    private static readonly JsonEncodedText s_num = JsonEncodedText.Encode(NumName);

    public static void Write(Utf8JsonWriter writer, int num)
    {
        writer.WriteStartObject();
        writer.WriteBoolean(s_flag, true);
        writer.WriteNumber(s_num, num);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads the placeholder object at the reader's position (a <see cref="JsonTokenType.StartObject"/>) and returns the
    /// attachment it names.
    /// </summary>
    /// <exception cref="JsonException">The object is not a placeholder, or no attachments are in scope.</exception>
    /// <exception cref="SocketProtocolException">The placeholder names an attachment that does not exist.</exception>
    public static ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader)
    {
        var flagged = false;
        var num = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(FlagName))
            {
                reader.Read();
                flagged = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals(NumName))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out num))
                {
                    num = -1;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!flagged)
        {
            throw new JsonException("expected a base64 string or a binary placeholder object");
        }

        var attachments = PlaceholderScope.Attachments
            ?? throw new JsonException("a binary placeholder can only be read inside a SocketJson.Resolve scope");
        if (num < 0 || num >= attachments.Count)
        {
            throw new SocketProtocolException(
                $"illegal attachments: a placeholder does not name one of the {attachments.Count} attachments");
        }

        return attachments[num];
    }
}
