using Microsoft.Extensions.Hosting;

namespace Sockeye.Hosting;

/// <summary>
/// Drains every endpoint when the host stops. It runs in the <em>stopping</em> phase, before Kestrel stops: long
/// polls and WebSockets would otherwise hold Kestrel's own shutdown until its timeout.
/// </summary>
internal sealed class EngineShutdownService(EngineServerRegistry registry) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => registry.ShutdownAllAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
