using System.Net.WebSockets;

namespace Sockeye.LoadGenerator.Wire;

/// <summary>
/// Engine.IO v4 / Socket.IO v5 over a WebSocket-only session, main namespace: one packet per frame,
/// <c>42[id]["event",...]</c> out, <c>43id[...]</c> acks and <c>42["message",...]</c> events in, <c>2</c> answered
/// with <c>3</c>.
/// </summary>
internal sealed class SocketIOWire : WireProtocol
{
    private static readonly byte[] s_pong = "3"u8.ToArray();

    public override string WebSocketPath => "/socket.io/?EIO=4&transport=websocket";

    public override ReadOnlyMemory<byte> Pong => s_pong;

    public override async Task HandshakeAsync(WebSocket webSocket, byte[] buffer, CancellationToken cancellationToken)
    {
        // The open packet comes first; then CONNECT to "/" and wait for its answer (skipping any ping in between).
        var count = await ReceiveMessageAsync(webSocket, buffer, cancellationToken).ConfigureAwait(false);
        if (count == 0 || buffer[0] != (byte)'0')
        {
            throw new WebSocketException("expected the Engine.IO open packet");
        }

        await webSocket.SendAsync("40"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            count = await ReceiveMessageAsync(webSocket, buffer, cancellationToken).ConfigureAwait(false);
            if (count >= 2 && buffer[0] == (byte)'4' && buffer[1] == (byte)'0')
            {
                return;
            }

            if (count >= 2 && buffer[0] == (byte)'4' && buffer[1] == (byte)'4')
            {
                throw new WebSocketException("connect_error: " + System.Text.Encoding.UTF8.GetString(buffer, 0, count));
            }

            if (count == 1 && buffer[0] == (byte)'2')
            {
                await webSocket.SendAsync(s_pong, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override int WriteEcho(Span<byte> destination, long ackId, ReadOnlySpan<byte> payload)
    {
        var n = WireAscii.Write(destination, "42"u8);
        n += WireAscii.WriteDigits(destination[n..], ackId);
        n += WireAscii.Write(destination[n..], "[\"echo\",\""u8);
        n += WireAscii.Write(destination[n..], payload);
        n += WireAscii.Write(destination[n..], "\"]"u8);
        return n;
    }

    public override int WriteJoin(Span<byte> destination, long ackId, ReadOnlySpan<byte> room)
    {
        var n = WireAscii.Write(destination, "42"u8);
        n += WireAscii.WriteDigits(destination[n..], ackId);
        n += WireAscii.Write(destination[n..], "[\"join\",\""u8);
        n += WireAscii.Write(destination[n..], room);
        n += WireAscii.Write(destination[n..], "\"]"u8);
        return n;
    }

    public override int WritePublish(Span<byte> destination, ReadOnlySpan<byte> room, ReadOnlySpan<byte> payload)
    {
        var n = WireAscii.Write(destination, "42[\"publish\",\""u8);
        n += WireAscii.Write(destination[n..], room);
        n += WireAscii.Write(destination[n..], "\",\""u8);
        n += WireAscii.Write(destination[n..], payload);
        n += WireAscii.Write(destination[n..], "\"]"u8);
        return n;
    }

    public override bool TryReadRecord(ReadOnlySpan<byte> frame, ref int position, out WireRecord record)
    {
        // One Engine.IO packet per WebSocket frame: the whole frame is the record.
        if (position != 0 || frame.IsEmpty)
        {
            record = default;
            return false;
        }

        position = frame.Length;
        record = Classify(frame);
        return true;
    }

    /// <summary>Classifies one Engine.IO text packet (also used for the records of a polling payload).</summary>
    public static WireRecord Classify(ReadOnlySpan<byte> packet, int offset = 0)
    {
        var kind = RecordKind.Other;
        long ackId = -1;
        if (packet.Length == 1 && packet[0] == (byte)'2')
        {
            kind = RecordKind.Ping;
        }
        else if (packet.Length >= 1 && packet[0] == (byte)'1')
        {
            kind = RecordKind.Close;
        }
        else if (packet.Length >= 2 && packet[0] == (byte)'4')
        {
            switch (packet[1])
            {
                case (byte)'3':
                    var pos = 2;
                    ackId = WireAscii.ParseDigits(packet, ref pos);
                    kind = ackId >= 0 ? RecordKind.Ack : RecordKind.Other;
                    break;
                case (byte)'2':
                    kind = RecordKind.Event;
                    break;
                case (byte)'1':
                    kind = RecordKind.Close;
                    break;
            }
        }

        return new WireRecord(kind, ackId, offset, packet.Length);
    }
}
