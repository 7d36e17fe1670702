using Microsoft.Extensions.Hosting;

namespace Sockeye.Hosting;

/// <summary>
/// Drains every endpoint when the host stops. It runs in the <em>stopping</em> phase, before Kestrel stops: long
/// polls and WebSockets would otherwise hold Kestrel's own shutdown until its timeout. The order is: refuse new
/// handshakes, let the application's <see cref="IEngineDrainHook"/>s finish, then close the sessions.
/// </summary>
internal sealed class EngineShutdownService(EngineServerRegistry registry, IEnumerable<IEngineDrainHook> hooks) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        registry.StopAccepting();
        await Task.WhenAll(hooks.Select(h => h.DrainAsync(cancellationToken))).ConfigureAwait(false);
        await registry.ShutdownAllAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
