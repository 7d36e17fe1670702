using Prometheus;

namespace Sockeye.Chat.Operations;

/// <summary>
/// Collects the Prometheus registry once at start-up. prometheus-net connects its .NET meter adapter (ASP.NET Core,
/// Kestrel, the runtime, the <c>Sockeye</c> meter) only at the first collection; without this, whatever happened
/// before the first scrape would be missing from those series.
/// </summary>
internal sealed class MetricsStartupService : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
