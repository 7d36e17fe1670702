using Microsoft.Extensions.Logging;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Operations;

/// <summary>
/// Turns readiness off as soon as the host starts stopping and holds the stop until the messages in flight are
/// stored, so that load balancers move traffic away before sockets close and no acknowledged message is lost.
/// </summary>
/// <remarks>
/// <see cref="IHostedLifecycleService.StoppingAsync"/> runs before any hosted service's <c>StopAsync</c>, that is
/// before Kestrel and the Socket.IO engine stop. The wait is bounded by <see cref="ChatSettings.ShutdownTimeout"/>,
/// which is also the host's shutdown timeout.
/// </remarks>
internal sealed class DrainOnShutdownService(DrainState drain, ChatSettings settings, ILogger<DrainOnShutdownService> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        drain.BeginDrain();
        OperationsLog.DrainStarted(logger, settings.ShutdownTimeout, drain.InFlight);
        if (await drain.WaitForIdleAsync(settings.ShutdownTimeout).ConfigureAwait(false))
        {
            OperationsLog.Drained(logger);
        }
        else
        {
            OperationsLog.DrainTimedOut(logger, drain.InFlight);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
