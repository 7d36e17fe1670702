using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sockeye.Redis.TestNode;

/// <summary>Server-side operations the tests ask for on stdin.</summary>
internal sealed class Commands(SocketIOServer io, RedisAdapterHealth health)
{
    public async Task RunAsync(JsonObject command)
    {
        var result = new JsonObject { ["ref"] = command["ref"]?.DeepClone() };
        try
        {
            await RunCoreAsync(command, result);
        }
        catch (Exception ex)
        {
            result["error"] = ex.GetType().Name;
            result["message"] = ex.Message;
            if (ex is AckTimeoutException timeout)
            {
                result["responses"] = Answers(timeout.Responses);
            }
        }

        Output.Write("result", result);
    }

    private async Task RunCoreAsync(JsonObject command, JsonObject result)
    {
        var nsp = io.Of(command["nsp"]?.GetValue<string>() ?? "/");
        var target = nsp.To(Strings(command["rooms"])).Except(Strings(command["except"]));
        if (command["local"]?.GetValue<bool>() == true)
        {
            target = target.Local;
        }

        var args = Args(command["args"]);
        switch (command["op"]!.GetValue<string>())
        {
            case "emit":
                await target.EmitAsync(command["name"]!.GetValue<string>(), args);
                break;
            case "emitMany":
                // count emits at once, each with [args..., i]: concurrent broadcasts from one server.
                var eventName = command["name"]!.GetValue<string>();
                await Task.WhenAll(Enumerable.Range(0, command["count"]!.GetValue<int>()).Select(i => target.EmitAsync(eventName, [.. args, i]).AsTask()));
                break;
            case "emitWithAck":
                var responses = await target.Timeout(TimeSpan.FromMilliseconds(command["timeout"]?.GetValue<int>() ?? 5000))
                    .EmitWithAckAsync(command["name"]!.GetValue<string>(), args);
                result["responses"] = Answers(responses);
                break;
            case "fetch":
                var sockets = new JsonArray();
                foreach (var socket in await target.FetchSocketsAsync())
                {
                    var data = new JsonObject();
                    foreach (var (key, value) in socket.Data)
                    {
                        data[key] = JsonSerializer.SerializeToNode(value);
                    }

                    sockets.Add(new JsonObject
                    {
                        ["id"] = socket.Id,
                        ["rooms"] = new JsonArray([.. socket.Rooms.Order().Select(r => (JsonNode)r)]),
                        ["data"] = data,
                        ["local"] = socket.Local is not null,
                        ["user"] = socket.Handshake?.Query["user"].ToString(),
                        ["auth"] = socket.Handshake is { } h && h.Auth.ValueKind != JsonValueKind.Undefined ? JsonNode.Parse(h.Auth.GetRawText()) : null,
                        ["url"] = socket.Handshake?.Url,
                    });
                }

                result["sockets"] = sockets;
                break;
            case "socketsJoin":
                await target.SocketsJoinAsync(Strings(command["join"]));
                break;
            case "socketsLeave":
                await target.SocketsLeaveAsync(Strings(command["leave"]));
                break;
            case "disconnectSockets":
                await target.DisconnectSocketsAsync(command["close"]?.GetValue<bool>() == true);
                break;
            case "serverSideEmit":
                await nsp.ServerSideEmitAsync(command["name"]!.GetValue<string>(), args);
                break;
            case "serverSideEmitWithAck":
                result["responses"] = Answers(await nsp.ServerSideEmitWithAckAsync(command["name"]!.GetValue<string>(), args));
                break;
            case "allRooms":
                result["rooms"] = new JsonArray([.. (await nsp.AllRoomsAsync()).Order().Select(r => (JsonNode)r)]);
                break;
            case "serverCount":
                result["count"] = await nsp.Adapter.ServerCountAsync();
                break;
            case "health":
                result["connected"] = health.IsConnected;
                break;
            default:
                throw new InvalidOperationException("unknown op");
        }
    }

    private static string[] Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(n => n!.GetValue<string>())] : [];

    /// <summary>Arguments: JSON values, and {"$bytes": base64} for binary.</summary>
    private static object?[] Args(JsonNode? node) => node is JsonArray array ? [.. array.Select(Arg)] : [];

    private static object? Arg(JsonNode? node) =>
        node is JsonObject obj && obj["$bytes"] is { } bytes ? Convert.FromBase64String(bytes.GetValue<string>()) : node?.DeepClone();

    private static JsonArray Answers(IReadOnlyList<SocketArguments> responses)
    {
        var array = new JsonArray();
        foreach (var response in responses)
        {
            var args = new JsonArray();
            for (var i = 0; i < response.Count; i++)
            {
                args.Add(SocketJson(response, i));
            }

            array.Add(args);
        }

        return array;
    }

    private static JsonNode? SocketJson(SocketArguments args, int index)
    {
        try
        {
            return new JsonObject { ["$bytes"] = Convert.ToBase64String(args.GetBytes(index).Span) };
        }
        catch (InvalidOperationException)
        {
            return JsonNode.Parse(args.Args[index].GetRawText());
        }
    }
}
