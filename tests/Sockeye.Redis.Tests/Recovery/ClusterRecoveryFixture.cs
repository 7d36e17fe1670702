using Sockeye.Redis.Tests.Infrastructure;

namespace Sockeye.Redis.Tests.Recovery;

/// <summary>
/// Redis and two Sockeye servers (A, B) in their own processes, both with connection state recovery in Redis (a 3 s
/// window; complete snapshots every 5 s, so sessions are written when sockets connect or change rooms). A test may kill a
/// server; <see cref="EnsureStartedAsync"/> starts it again.
/// </summary>
public sealed class ClusterRecoveryFixture : IAsyncLifetime
{
    public const int WindowMs = 3000;

    public RedisServer Redis { get; } = new();

    public ClusterNode A { get; private set; } = null!;

    public ClusterNode B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        await EnsureStartedAsync();
    }

    /// <summary>Starts A and B unless they run.</summary>
    public async Task EnsureStartedAsync()
    {
        if (A is null || A.Process.HasExited)
        {
            if (A is not null)
            {
                await A.DisposeAsync();
            }

            A = await ClusterNode.StartRecoveringSockeyeAsync("A", Redis, WindowMs);
        }

        if (B is null || B.Process.HasExited)
        {
            if (B is not null)
            {
                await B.DisposeAsync();
            }

            B = await ClusterNode.StartRecoveringSockeyeAsync("B", Redis, WindowMs);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { A, B })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        await Redis.DisposeAsync();
    }
}
