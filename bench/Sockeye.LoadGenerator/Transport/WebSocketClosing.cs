using System.Net.WebSockets;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>The client's side of a WebSocket close handshake.</summary>
internal static class WebSocketClosing
{
    /// <summary>
    /// Sends the close frame if the socket is still open, holding the send lock so that it cannot cut into a frame
    /// being sent. The server answers with its own close frame, which ends the caller's receive loop.
    /// </summary>
    public static async Task CloseOutputAsync(WebSocket webSocket, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (webSocket.State == WebSocketState.Open)
            {
                await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }
}
