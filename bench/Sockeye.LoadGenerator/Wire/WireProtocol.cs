using System.Net.WebSockets;

namespace Sockeye.LoadGenerator.Wire;

/// <summary>
/// How the benchmark contract (echo, join, publish) is framed for one kind of target. Requests are written into a
/// caller's buffer; received frames are split into records without decoding any JSON.
/// </summary>
internal abstract class WireProtocol
{
    /// <summary>The WebSocket path and query, relative to the target's base URL.</summary>
    public abstract string WebSocketPath { get; }

    /// <summary>What the client sends every few seconds to keep an idle session alive, if the protocol needs it.</summary>
    public virtual ReadOnlyMemory<byte> KeepAlive => ReadOnlyMemory<byte>.Empty;

    /// <summary>The answer to a server ping.</summary>
    public virtual ReadOnlyMemory<byte> Pong => ReadOnlyMemory<byte>.Empty;

    public static WireProtocol For(string name) => name switch
    {
        "socketio" => new SocketIOWire(),
        "signalr" => new SignalRWire(),
        _ => throw new ArgumentException($"Unknown protocol '{name}' (socketio or signalr)."),
    };

    /// <summary>Runs the application handshake on a freshly opened WebSocket, until the session is ready.</summary>
    public abstract Task HandshakeAsync(WebSocket webSocket, byte[] buffer, CancellationToken cancellationToken);

    /// <summary><c>echo</c> with one string argument and an ack id.</summary>
    public abstract int WriteEcho(Span<byte> destination, long ackId, ReadOnlySpan<byte> payload);

    /// <summary><c>join</c> of a room, with an ack id.</summary>
    public abstract int WriteJoin(Span<byte> destination, long ackId, ReadOnlySpan<byte> room);

    /// <summary><c>publish</c> of a string payload to a room, without an ack.</summary>
    public abstract int WritePublish(Span<byte> destination, ReadOnlySpan<byte> room, ReadOnlySpan<byte> payload);

    /// <summary>Reads the next record of a frame from <paramref name="position"/>; false when the frame is done.</summary>
    public abstract bool TryReadRecord(ReadOnlySpan<byte> frame, ref int position, out WireRecord record);

    /// <summary>Reads one whole text message during the handshake.</summary>
    protected static async Task<int> ReceiveMessageAsync(WebSocket webSocket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            var result = await webSocket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("closed during the handshake");
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return count;
            }

            if (count == buffer.Length)
            {
                throw new WebSocketException("handshake message larger than the receive buffer");
            }
        }
    }
}
