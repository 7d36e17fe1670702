using System.Buffers;
using System.Net.WebSockets;

namespace Sockeye.Bench.Floor;

/// <summary>
/// The ASP.NET Core floor: Kestrel's HTTP/1.1 connection, the WebSocket middleware's accept and
/// <see cref="WebSocket"/>, one endpoint. Like Sockeye it waits for data with a zero-byte read, so an idle
/// connection holds no buffer of its own.
/// </summary>
internal static class AspNetFloor
{
    public static void MapAspNetFloor(this WebApplication app)
    {
        app.UseWebSockets();
        app.Map("/socket.io/", static async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
            await webSocket.SendAsync(FloorPackets.Open.ToArray(), WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            while (webSocket.State == WebSocketState.Open)
            {
                var ready = await webSocket.ReceiveAsync(Memory<byte>.Empty, context.RequestAborted);
                if (ready.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(8192);
                try
                {
                    var received = await webSocket.ReceiveAsync(buffer.AsMemory(0, 4096), context.RequestAborted);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    var answer = FloorPackets.Answer(buffer.AsSpan(0, received.Count), buffer.AsSpan(4096));
                    if (answer > 0)
                    {
                        await webSocket.SendAsync(buffer.AsMemory(4096, answer), WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        });
    }
}
