namespace Sockeye.Fuzz;

/// <summary>The fuzz targets by name.</summary>
internal static class Targets
{
    private static readonly Dictionary<string, Action<ReadOnlyMemory<byte>>> All = new(StringComparer.Ordinal)
    {
        ["engine-payload"] = EnginePayloadTarget.Run,
        ["socket-packet"] = SocketPacketTarget.Run,
        ["redis-message"] = RedisMessageTarget.Run,
    };

    public static IEnumerable<string> Names => All.Keys;

    public static Action<ReadOnlyMemory<byte>>? Find(string name) => All.GetValueOrDefault(name);
}
