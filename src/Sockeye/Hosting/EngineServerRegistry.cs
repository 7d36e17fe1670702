using Sockeye.Engine;

namespace Sockeye.Hosting;

/// <summary>Every endpoint mapped in this application, so that shutdown can drain them all.</summary>
internal sealed class EngineServerRegistry
{
    private readonly List<EngineServer> _servers = [];
    private readonly Lock _lock = new();

    public void Add(EngineServer server)
    {
        lock (_lock)
        {
            _servers.Add(server);
        }
    }

    public void StopAccepting()
    {
        foreach (var server in Snapshot())
        {
            server.StopAccepting();
        }
    }

    public Task ShutdownAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Snapshot().Select(s => s.ShutdownAsync(cancellationToken)));

    private EngineServer[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _servers];
        }
    }
}
