using System.Text.Json.Nodes;

namespace Sockeye.Redis.Tests.Infrastructure;

/// <summary>Builds the JSON commands the test servers understand.</summary>
public static class Commands
{
    public static JsonObject Emit(string eventName, JsonNode?[] args, string[]? rooms = null, string[]? except = null, bool local = false) =>
        Target("emit", rooms, except, local, ("name", eventName), ("args", new JsonArray(args)));

    public static JsonObject EmitWithAck(string eventName, JsonNode?[] args, string[]? rooms = null, int timeoutMs = 5000) =>
        Target("emitWithAck", rooms, null, false, ("name", eventName), ("args", new JsonArray(args)), ("timeout", timeoutMs));

    public static JsonObject Fetch(string[]? rooms = null, string nsp = "/") => Target("fetch", rooms, null, false, ("nsp", nsp));

    public static JsonObject SocketsJoin(string[] rooms, params string[] join) =>
        Target("socketsJoin", rooms, null, false, ("join", new JsonArray([.. join.Select(j => (JsonNode)j)])));

    public static JsonObject SocketsLeave(string[] rooms, params string[] leave) =>
        Target("socketsLeave", rooms, null, false, ("leave", new JsonArray([.. leave.Select(j => (JsonNode)j)])));

    public static JsonObject DisconnectSockets(string[] rooms, bool close) => Target("disconnectSockets", rooms, null, false, ("close", close));

    public static JsonObject ServerSideEmit(string eventName, params JsonNode?[] args) =>
        new() { ["op"] = "serverSideEmit", ["name"] = eventName, ["args"] = new JsonArray(args) };

    public static JsonObject ServerSideEmitWithAck(string eventName, params JsonNode?[] args) =>
        new() { ["op"] = "serverSideEmitWithAck", ["name"] = eventName, ["args"] = new JsonArray(args) };

    public static JsonObject AllRooms() => new() { ["op"] = "allRooms" };

    public static JsonObject ServerCount() => new() { ["op"] = "serverCount" };

    public static JsonObject Health() => new() { ["op"] = "health" };

    /// <summary>Binary, as the scripts pass it.</summary>
    public static JsonObject Bytes(params byte[] bytes) => new() { ["$bytes"] = Convert.ToBase64String(bytes) };

    private static JsonObject Target(string op, string[]? rooms, string[]? except, bool local, params (string Key, JsonNode? Value)[] fields)
    {
        var command = new JsonObject
        {
            ["op"] = op,
            ["rooms"] = new JsonArray([.. (rooms ?? []).Select(r => (JsonNode)r)]),
            ["except"] = new JsonArray([.. (except ?? []).Select(r => (JsonNode)r)]),
            ["local"] = local,
        };
        foreach (var (key, value) in fields)
        {
            command[key] = value;
        }

        return command;
    }
}
