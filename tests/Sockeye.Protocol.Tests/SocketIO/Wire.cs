using System.Buffers;
using System.Text;
using System.Text.Json;
using Sockeye.Protocol.SocketIO;

namespace Sockeye.Protocol.Tests.SocketIO;

/// <summary>
/// Shared helpers for writing and reading packets in tests. Test strings are whole Engine.IO messages as they appear
/// in PROTOCOL.md (<c>42["hey","Jude"]</c>); the codec itself sees them without the leading <c>4</c>.
/// </summary>
internal static class Wire
{
    public static JsonSerializerOptions Options { get; } = SocketJson.CreateOptions();

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Runs an encoder method and returns the Engine.IO message it makes: <c>4</c> then the packet.</summary>
    public static string EncodeMessage(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return "4" + Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Strips the Engine.IO <c>4</c> prefix from a message and decodes the complete packet it holds.</summary>
    public static SocketPacket DecodeMessage(string message)
    {
        var packet = new SocketPacketDecoder().DecodeText(Body(message));
        Assert.NotNull(packet);
        return packet;
    }

    /// <summary>The bytes of a message without its Engine.IO <c>4</c> prefix.</summary>
    public static byte[] Body(string message)
    {
        Assert.StartsWith("4", message);
        return Utf8(message[1..]);
    }

    public static string Json(JsonElement? element) => element is { } value ? value.GetRawText() : "<none>";
}
