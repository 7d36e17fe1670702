using System.Text.Json;

namespace Sockeye.Redis;

/// <summary>Options of <see cref="SocketIOEmitter"/>.</summary>
public sealed class SocketIOEmitterOptions
{
    /// <summary>The channel prefix; the same as the servers' <see cref="RedisAdapterOptions.Key"/>. Default <c>socket.io</c>.</summary>
    public string Key { get; set; } = "socket.io";

    /// <summary>How event arguments are serialized (binary values stay binary). Default: the web defaults.</summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }
}
