using Microsoft.Extensions.Hosting;
using Sockeye.Redis.Internal;

namespace Sockeye.Redis.Hosting;

/// <summary>
/// Connects to Redis when the host starts and waits (up to <see cref="RedisAdapterOptions.ConnectTimeout"/>) for the
/// namespaces mapped so far to subscribe, so a server that reports started is already part of the cluster. When Redis
/// is not reachable in time, start-up goes on: the server serves its own clients and joins once Redis is back.
/// </summary>
internal sealed class RedisAdapterStartup(RedisBackplane backplane, SocketIOServer server, RedisAdapterFactory factory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the server creates the main namespace, hence its adapter, even when MapSocketIO has not run.
        _ = server.Sockets;
        try
        {
            await backplane.ConnectAsync().WaitAsync(backplane.Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            await factory.WhenAllReadyAsync().WaitAsync(backplane.Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Logged by the backplane; see the summary.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
