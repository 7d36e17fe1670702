using Sockeye.Redis.Tests.Infrastructure;

namespace Sockeye.Redis.Tests.Cluster;

/// <summary>Redis, three Sockeye servers in their own processes (A, B, C) and a process of socket.io-clients.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public ClusterNode A { get; private set; } = null!;

    public ClusterNode B { get; private set; } = null!;

    public ClusterNode C { get; private set; } = null!;

    public Clients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        A = await ClusterNode.StartSockeyeAsync("A", Redis);
        B = await ClusterNode.StartSockeyeAsync("B", Redis);
        C = await ClusterNode.StartSockeyeAsync("C", Redis);
        Clients = await Clients.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Clients is not null)
        {
            await Clients.DisposeAsync();
        }

        foreach (var node in new[] { A, B, C })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        await Redis.DisposeAsync();
    }
}
