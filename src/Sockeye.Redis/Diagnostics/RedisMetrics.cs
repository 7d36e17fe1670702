using System.Diagnostics.Metrics;

namespace Sockeye.Redis.Diagnostics;

/// <summary>The Redis adapter's instruments, on the <c>Sockeye</c> meter.</summary>
internal sealed class RedisMetrics
{
    private readonly Counter<long> _outages;
    private readonly Counter<long> _publishFailures;
    private readonly Counter<long> _requestTimeouts;
    private readonly Counter<long> _unavailable;

    public RedisMetrics(IMeterFactory meterFactory, Func<bool> isConnected)
    {
        var meter = meterFactory.Create("Sockeye");
        meter.CreateObservableGauge("sockeye.redis.connected", () => isConnected() ? 1 : 0, "{connection}", "1 while the Redis backplane is connected, 0 while it is down.");
        _outages = meter.CreateCounter<long>("sockeye.redis.outages", "{outage}", "Times the connection to Redis was lost.");
        _publishFailures = meter.CreateCounter<long>("sockeye.redis.publish_failures", "{message}", "Messages that could not be published to Redis (broadcasts then reach local clients only), by operation.");
        _requestTimeouts = meter.CreateCounter<long>("sockeye.redis.request_timeouts", "{request}", "Cluster requests that timed out waiting for other servers, by operation.");
        _unavailable = meter.CreateCounter<long>("sockeye.redis.requests_refused", "{request}", "Cluster requests refused at once because the backplane was down, by operation.");
    }

    public void Outage() => _outages.Add(1);

    public void PublishFailed(string operation) => _publishFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void RequestTimedOut(string operation) => _requestTimeouts.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void RequestRefused(string operation) => _unavailable.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
