using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sockeye.Tests.Interop;

/// <summary>The server side of the socket.io-client interop scenarios (tests/interop/socketio-client.mjs).</summary>
public static class InteropApp
{
    public static void Configure(SocketIOServer io)
    {
        io.Of("/private").Use((socket, next) =>
            socket.Handshake.Auth.ValueKind == JsonValueKind.Object && socket.Handshake.Auth.TryGetProperty("token", out var token) && token.GetString() == "secret"
                ? next()
                : throw new ConnectionRejectedException("not authorized", new { code = "E42" }));
        io.Of("/custom").OnConnection(socket => socket.On("whoami", ctx => ctx.AckAsync(socket.Namespace.Name)));
        io.Of(new Regex("^/dyn-\\d+$")).OnConnection(socket => socket.On("whoami", ctx => ctx.AckAsync(socket.Namespace.Name)));

        io.OnConnection(socket =>
        {
            socket.On("whoami", ctx => ctx.AckAsync(socket.Namespace.Name));
            socket.On("echo", ctx => ctx.AckAsync(ctx.ToEchoArgs()));
            socket.On("echo-event", ctx => { socket.Emit("echo-back", ctx.ToEchoArgs()); });
            socket.On("join", ctx =>
            {
                socket.Join(ctx.GetArg<string>(0)!);
                return ctx.AckAsync();
            });
            socket.On("publish", async ctx =>
            {
                var room = ctx.GetArg<string>(0)!;
                var text = ctx.GetArg<string>(1);
                var target = ctx.GetArg<bool>(2) ? io.To(room) : socket.To(room);
                await target.EmitAsync("message", text);
                await ctx.AckAsync();
            });
            socket.On("publish-except", async ctx =>
            {
                await io.Except(ctx.GetArg<string>(0)!).EmitAsync("message", ctx.GetArg<string>(1));
                await ctx.AckAsync();
            });
            socket.On("broadcast", async ctx =>
            {
                await socket.Broadcast.EmitAsync("message", ctx.GetArg<string>(0));
                await ctx.AckAsync();
            });
            socket.On("kick-me", _ => socket.Disconnect());
            socket.On("close-me", _ => socket.Disconnect(close: true));
            socket.Emit("welcome", new
            {
                auth = socket.Handshake.Auth,
                query = socket.Handshake.Query["q"].ToString(),
                id = socket.Id,
            });
        });
    }
}
