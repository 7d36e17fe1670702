using System.Net.Sockets;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>
/// The TCP connection of a soak client, opened by the client itself (the HTTP stack's <c>ConnectCallback</c>) rather
/// than by the HTTP stack, so that a drop can reset it: a real client that loses its network leaves no FIN behind.
/// </summary>
internal static class ClientSocket
{
    /// <summary>Connects a socket with Nagle's algorithm off (every packet of the benchmark is small and urgent).</summary>
    public static async ValueTask<Socket> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
