using Prometheus;

namespace Sockeye.Chat.Operations;

/// <summary>The service's Prometheus metrics (names as operators expect them, exported at <c>/metrics</c>).</summary>
public sealed class ChatMetrics
{
    private static readonly Gauge s_connections = Metrics.CreateGauge("socketio_connections", "Sockets connected now.");
    private static readonly Counter s_connectionsTotal = Metrics.CreateCounter("socketio_connections_total", "Sockets connected since start.");
    private static readonly Counter s_received = Metrics.CreateCounter("socketio_messages_received_total", "Events received from clients.");
    private static readonly Counter s_sent = Metrics.CreateCounter("socketio_messages_sent_total", "Events sent to clients (one per recipient).");
    private static readonly Counter s_errors = Metrics.CreateCounter("socketio_errors_total", "Errors returned to clients, by code.", "code");
    private static readonly Counter s_persisted = Metrics.CreateCounter("chat_messages_persisted_total", "Chat messages stored.");
    private static readonly Counter s_duplicates = Metrics.CreateCounter("chat_messages_deduplicated_total", "Client retries answered with the stored record.");
    private static readonly Counter s_syncRequests = Metrics.CreateCounter("chat_sync_requests_total", "sync requests answered (a client catching up after a reconnect that did not recover).");
    private static readonly Counter s_synced = Metrics.CreateCounter("chat_sync_messages_total", "Messages sent in answers to sync.");
    private static readonly Histogram s_persistence = Metrics.CreateHistogram(
        "chat_persistence_seconds",
        "Time to store a chat message.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    /// <summary>
    /// Explicit so that the metrics above are created with the first instance (the service registration), not at
    /// the first measurement: a scrape then lists every metric from the start, at zero.
    /// </summary>
    static ChatMetrics()
    {
    }

    /// <summary>A socket connected.</summary>
    public void Connected()
    {
        s_connections.Inc();
        s_connectionsTotal.Inc();
    }

    /// <summary>A socket disconnected.</summary>
    public void Disconnected() => s_connections.Dec();

    /// <summary>An event arrived.</summary>
    public void Received() => s_received.Inc();

    /// <summary>Events were sent to <paramref name="recipients"/> sockets.</summary>
    public void Sent(int recipients = 1) => s_sent.Inc(recipients);

    /// <summary>An error with this code was returned to a client.</summary>
    public void Error(string code) => s_errors.WithLabels(code).Inc();

    /// <summary>A message was stored in <paramref name="elapsed"/>.</summary>
    public void Persisted(TimeSpan elapsed)
    {
        s_persisted.Inc();
        s_persistence.Observe(elapsed.TotalSeconds);
    }

    /// <summary>A sync request was answered with <paramref name="messages"/> messages.</summary>
    public void Synced(int messages)
    {
        s_syncRequests.Inc();
        s_synced.Inc(messages);
    }

    /// <summary>A retry was answered with the stored record.</summary>
    public void Deduplicated() => s_duplicates.Inc();
}
