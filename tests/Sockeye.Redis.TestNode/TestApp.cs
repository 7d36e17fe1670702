using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sockeye.Redis.TestNode;

/// <summary>What clients can do on a test node; the Node test server (tests/interop/redis-node-server.mjs) does the same.</summary>
internal static class TestApp
{
    public static void Configure(SocketIOServer io, string name)
    {
        foreach (var nsp in new[] { io.Sockets, io.Of("/other") })
        {
            nsp.OnConnection(socket =>
            {
                socket.Data["node"] = name;
                if (socket.Handshake.Query.TryGetValue("user", out var user))
                {
                    socket.Data["user"] = user.ToString();
                }

                // join(room) => ack(rooms): the client knows the join happened before it acts on it.
                socket.On("join", async ctx =>
                {
                    socket.Join(ctx.GetArg<string>(0)!);
                    await ctx.AckAsync(socket.Rooms.Order().ToArray());
                });
                socket.On("echo", ctx => ctx.AckAsync(ctx.ToEchoArgs()));

                // set(key, value) and state(): what connection state recovery restores.
                socket.On("set", ctx =>
                {
                    socket.Data[ctx.GetArg<string>(0)!] = ctx.GetArg<string>(1);
                    return ctx.AckAsync("ok");
                });
                socket.On("state", ctx => ctx.AckAsync(new
                {
                    id = socket.Id,
                    node = name,
                    recovered = socket.Recovered,
                    rooms = socket.Rooms.Order().ToArray(),
                    data = socket.Data.Where(d => d.Key != "node").ToDictionary(d => d.Key, d => d.Value),
                }));

                // publish(room, event, ...args): the server broadcasts to a room on behalf of the client, sender excluded.
                socket.On("publish", async ctx =>
                {
                    var echo = ctx.ToEchoArgs();
                    await socket.To(ctx.GetArg<string>(0)!).EmitAsync(ctx.GetArg<string>(1)!, echo[2..]);
                    await ctx.AckAsync("ok");
                });
            });

            foreach (var eventName in new[] { "hello", "ask" })
            {
                nsp.OnServerSideEmit(eventName, async ctx =>
                {
                    var args = new JsonArray();
                    foreach (var arg in ctx.Args)
                    {
                        args.Add(JsonNode.Parse(arg.GetRawText()));
                    }

                    Output.Write("server-side", new JsonObject { ["nsp"] = nsp.Name, ["name"] = ctx.EventName, ["args"] = args, ["hasAck"] = ctx.HasAck });
                    await ctx.AckAsync(new { node = name, got = ctx.Count > 0 ? ctx.Args[0] : default(JsonElement?) });
                });
            }
        }
    }
}
