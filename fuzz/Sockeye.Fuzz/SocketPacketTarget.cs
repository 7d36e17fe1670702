using Sockeye.Protocol.SocketIO;

namespace Sockeye.Fuzz;

/// <summary>
/// A sequence of Engine.IO messages fed to one Socket.IO decoder, so that binary packets and their attachments are
/// reconstructed: messages are separated by <c>0x1e</c>; one that starts with <c>0x01</c> is a binary message (the
/// rest of it), any other is a text message (all of it).
/// </summary>
internal static class SocketPacketTarget
{
    private const byte Separator = 0x1e;
    private const byte BinaryMarker = 0x01;

    public static void Run(ReadOnlyMemory<byte> input)
    {
        var decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = 4 });
        var rest = input;
        while (true)
        {
            var index = rest.Span.IndexOf(Separator);
            var message = index < 0 ? rest : rest[..index];
            Feed(decoder, message);
            if (index < 0)
            {
                return;
            }

            rest = rest[(index + 1)..];
        }
    }

    private static void Feed(SocketPacketDecoder decoder, ReadOnlyMemory<byte> message)
    {
        try
        {
            var packet = message.Span is [BinaryMarker, ..]
                ? decoder.DecodeBinary(message[1..])
                : decoder.DecodeText(message.Span);
            if (packet is not null && decoder.IsAwaitingAttachments)
            {
                throw new InvalidOperationException("A complete packet was returned while attachments are awaited.");
            }
        }
        catch (SocketProtocolException)
        {
            // The documented way to reject a message; the decoder stays usable (a server would close the connection).
        }
    }
}
