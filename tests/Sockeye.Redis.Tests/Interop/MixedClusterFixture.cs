using Sockeye.Redis.Tests.Infrastructure;

namespace Sockeye.Redis.Tests.Interop;

/// <summary>
/// Redis, a Node socket.io 4.8 server on @socket.io/redis-adapter 8.3 (N), two Sockeye servers (S1, S2), the Node
/// @socket.io/redis-emitter 5.1, and a process of socket.io-clients.
/// </summary>
public sealed class MixedClusterFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public ClusterNode N { get; private set; } = null!;

    public ClusterNode S1 { get; private set; } = null!;

    public ClusterNode S2 { get; private set; } = null!;

    public LineProcess NodeEmitter { get; private set; } = null!;

    public Clients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        N = await ClusterNode.StartNodeAsync("N", Redis);
        S1 = await ClusterNode.StartSockeyeAsync("S1", Redis);
        S2 = await ClusterNode.StartSockeyeAsync("S2", Redis);
        NodeEmitter = LineProcess.Start("emitter", "node", Paths.Interop, "redis-emitter.mjs", Redis.Port.ToString());
        await NodeEmitter.WaitForEventAsync("ready");
        Clients = await Clients.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var process in new IAsyncDisposable?[] { Clients, NodeEmitter, N, S1, S2 })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        await Redis.DisposeAsync();
    }
}
