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

    public Task ShutdownAllAsync(CancellationToken cancellationToken)
    {
        EngineServer[] servers;
        lock (_lock)
        {
            servers = [.. _servers];
        }

        return Task.WhenAll(servers.Select(s => s.ShutdownAsync(cancellationToken)));
    }
}
