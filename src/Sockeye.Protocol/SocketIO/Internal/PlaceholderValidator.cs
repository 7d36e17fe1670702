using System.Text.Json;

namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>
/// Checks every <c>{"_placeholder":true,...}</c> object of a binary packet against its announced attachment count,
/// so that a packet whose placeholders cannot all be resolved is rejected before its attachments are buffered.
/// </summary>
internal static class PlaceholderValidator
{
    /// <exception cref="SocketProtocolException">A placeholder has no valid <c>num</c> below <paramref name="attachmentCount"/>.</exception>
    public static void Validate(JsonElement element, int attachmentCount)
    {
        // The recursion is bounded by the reader's maximum depth (64) used when the payload was parsed.
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Validate(item, attachmentCount);
                }

                break;

            case JsonValueKind.Object:
                if (element.TryGetProperty(Placeholder.FlagName, out var flag) && flag.ValueKind == JsonValueKind.True)
                {
                    // socket.io-parser treats any object flagged `_placeholder: true` as a placeholder, so a bad one is
                    // an error rather than ordinary data.
                    if (!SocketJson.IsPlaceholder(element, out var num) || num >= attachmentCount)
                    {
                        throw new SocketProtocolException(
                            $"illegal attachments: a placeholder does not name one of the {attachmentCount} attachments");
                    }

                    break;
                }

                foreach (var property in element.EnumerateObject())
                {
                    Validate(property.Value, attachmentCount);
                }

                break;
        }
    }
}
