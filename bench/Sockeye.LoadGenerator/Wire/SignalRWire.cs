using System.Net.WebSockets;

namespace Sockeye.LoadGenerator.Wire;

/// <summary>
/// The SignalR JSON hub protocol over a WebSocket opened directly on the hub (no negotiation): records end with
/// 0x1E; invocations (type 1) out, completions (type 3) and invocations of <c>message</c> in; the client pings
/// (type 6) on its own every few seconds, since the server closes a connection that stays silent for 30 s.
/// </summary>
internal sealed class SignalRWire : WireProtocol
{
    private const byte RecordSeparator = 0x1E;
    private static readonly byte[] s_handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] s_ping = "{\"type\":6}\u001e"u8.ToArray();

    public override string WebSocketPath => "/hub";

    public override ReadOnlyMemory<byte> KeepAlive => s_ping;

    public override async Task HandshakeAsync(WebSocket webSocket, byte[] buffer, CancellationToken cancellationToken)
    {
        await webSocket.SendAsync(s_handshake, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        var count = await ReceiveMessageAsync(webSocket, buffer, cancellationToken).ConfigureAwait(false);

        // A successful handshake answers "{}"; a failed one names the error.
        if (count < 3 || buffer[0] != (byte)'{' || buffer[1] != (byte)'}')
        {
            throw new WebSocketException("handshake refused: " + System.Text.Encoding.UTF8.GetString(buffer, 0, count));
        }
    }

    public override int WriteEcho(Span<byte> destination, long ackId, ReadOnlySpan<byte> payload)
    {
        var n = WireAscii.Write(destination, "{\"type\":1,\"invocationId\":\""u8);
        n += WireAscii.WriteDigits(destination[n..], ackId);
        n += WireAscii.Write(destination[n..], "\",\"target\":\"Echo\",\"arguments\":[\""u8);
        n += WireAscii.Write(destination[n..], payload);
        n += WireAscii.Write(destination[n..], "\"]}\u001e"u8);
        return n;
    }

    public override int WriteJoin(Span<byte> destination, long ackId, ReadOnlySpan<byte> room)
    {
        var n = WireAscii.Write(destination, "{\"type\":1,\"invocationId\":\""u8);
        n += WireAscii.WriteDigits(destination[n..], ackId);
        n += WireAscii.Write(destination[n..], "\",\"target\":\"Join\",\"arguments\":[\""u8);
        n += WireAscii.Write(destination[n..], room);
        n += WireAscii.Write(destination[n..], "\"]}\u001e"u8);
        return n;
    }

    public override int WritePublish(Span<byte> destination, ReadOnlySpan<byte> room, ReadOnlySpan<byte> payload)
    {
        var n = WireAscii.Write(destination, "{\"type\":1,\"target\":\"Publish\",\"arguments\":[\""u8);
        n += WireAscii.Write(destination[n..], room);
        n += WireAscii.Write(destination[n..], "\",\""u8);
        n += WireAscii.Write(destination[n..], payload);
        n += WireAscii.Write(destination[n..], "\"]}\u001e"u8);
        return n;
    }

    public override bool TryReadRecord(ReadOnlySpan<byte> frame, ref int position, out WireRecord record)
    {
        if (position >= frame.Length)
        {
            record = default;
            return false;
        }

        var rest = frame[position..];
        var end = rest.IndexOf(RecordSeparator);
        var length = end < 0 ? rest.Length : end;
        var body = rest[..length];
        var start = position;
        position += end < 0 ? rest.Length : end + 1;

        // The server writes "type" first; anything else is of no interest here.
        var kind = RecordKind.Other;
        long ackId = -1;
        if (body.StartsWith("{\"type\":"u8) && body.Length > 8)
        {
            switch (body[8])
            {
                case (byte)'1':
                    kind = RecordKind.Event;
                    break;
                case (byte)'3':
                    var at = body.IndexOf("\"invocationId\":\""u8);
                    if (at >= 0)
                    {
                        var pos = at + 16;
                        ackId = WireAscii.ParseDigits(body, ref pos);
                        kind = ackId >= 0 ? RecordKind.Ack : RecordKind.Other;
                    }

                    break;
                case (byte)'7':
                    kind = RecordKind.Close;
                    break;
            }
        }

        record = new WireRecord(kind, ackId, start, length);
        return true;
    }
}
