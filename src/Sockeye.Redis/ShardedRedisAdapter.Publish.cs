using System.Security.Cryptography;
using Sockeye.Adapters;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis;

/// <summary>The messages of the sharded mode; <see cref="ClusterLink"/> publishes them and <see cref="ClusterRequests"/> waits for answers.</summary>
public sealed partial class ShardedRedisAdapter
{
    /// <summary>Node and request ids: 16 hex characters, as the Node cluster adapter makes them.</summary>
    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A message in the cluster format: JSON, or MessagePack when its data carries binary.</summary>
    private byte[] Message(int type, Dictionary<string, object?> data) =>
        WireValues.EncodeMessage(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["type"] = (long)type,
            ["data"] = data,
            ["uid"] = Uid,
            ["nsp"] = Namespace.Name,
        });

    private byte[] EncodeRequest(int type, string? requestId, Action<Dictionary<string, object?>> fill)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        fill(data);
        if (requestId is not null)
        {
            data["requestId"] = requestId;
        }

        return Message(type, data);
    }

    /// <summary>Publishes a request about the sockets <paramref name="options"/> select, expecting no answer.</summary>
    private Task NotifyAsync(string operation, int type, BroadcastOptions options, Action<Dictionary<string, object?>> fill)
    {
        var opts = EncodeOptions(options, null);
        return _requests.NotifyAsync(operation, type, data =>
        {
            data["opts"] = opts;
            fill(data);
        });
    }
}
