using System.Buffers;
using System.Net.WebSockets;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>
/// Receives whole WebSocket messages into a buffer from the shared pool that grows when a message needs it; the
/// message stays valid until the next receive.
/// </summary>
internal sealed class MessageBuffer(int initialSize) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialSize);

    /// <summary>The first <paramref name="length"/> bytes: the message last received.</summary>
    public Span<byte> Message(int length) => _buffer.AsSpan(0, length);

    /// <summary>Receives the next whole message; its length, or -1 when the server sent a close frame.</summary>
    public async ValueTask<int> ReceiveAsync(WebSocket webSocket)
    {
        var count = 0;
        while (true)
        {
            if (count == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, count).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var result = await webSocket.ReceiveAsync(_buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return -1;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return count;
            }
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
