using System.Diagnostics.Metrics;
using Sockeye.Engine;

namespace Sockeye.Diagnostics;

/// <summary>
/// The engine's instruments on the <c>Sockeye</c> meter. Tags are low-cardinality: transport, reason, code.
/// </summary>
internal sealed class EngineMetrics
{
    /// <summary>The meter name every Sockeye instrument lives on.</summary>
    public const string MeterName = "Sockeye";

    private readonly UpDownCounter<long> _sessions;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _packetsIn;
    private readonly Counter<long> _packetsOut;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _upgrades;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _dropped;

    public EngineMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sessions = meter.CreateUpDownCounter<long>("sockeye.engine.sessions", "{session}", "Open Engine.IO sessions.");
        _opened = meter.CreateCounter<long>("sockeye.engine.sessions.opened", "{session}", "Engine.IO sessions opened.");
        _closed = meter.CreateCounter<long>("sockeye.engine.sessions.closed", "{session}", "Engine.IO sessions closed, by reason.");
        _packetsIn = meter.CreateCounter<long>("sockeye.engine.packets.received", "{packet}", "Message packets received.");
        _packetsOut = meter.CreateCounter<long>("sockeye.engine.packets.sent", "{packet}", "Packets written to transports.");
        _bytesIn = meter.CreateCounter<long>("sockeye.engine.bytes.received", "By", "Bytes received in requests and frames.");
        _bytesOut = meter.CreateCounter<long>("sockeye.engine.bytes.sent", "By", "Bytes written to transports.");
        _upgrades = meter.CreateCounter<long>("sockeye.engine.upgrades", "{upgrade}", "Sessions upgraded from polling to WebSocket.");
        _refused = meter.CreateCounter<long>("sockeye.engine.requests.refused", "{request}", "Requests refused, by error code.");
        _dropped = meter.CreateCounter<long>("sockeye.engine.packets.dropped", "{packet}", "Volatile packets dropped because the transport was busy.");
    }

    public void SessionOpened(string transport)
    {
        _opened.Add(1, new KeyValuePair<string, object?>("transport", transport));
        _sessions.Add(1, new KeyValuePair<string, object?>("transport", transport));
    }

    public void SessionEnded(string transport) => _sessions.Add(-1, new KeyValuePair<string, object?>("transport", transport));

    public void TransportChanged(string from, string to)
    {
        _sessions.Add(-1, new KeyValuePair<string, object?>("transport", from));
        _sessions.Add(1, new KeyValuePair<string, object?>("transport", to));
    }

    public void SessionClosed(string transport, string reason) =>
        _closed.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("reason", reason));

    public void PacketReceived(int bytes) => _packetsIn.Add(1);

    public void PacketSent(int bytes) => _packetsOut.Add(1);

    public void BytesReceived(int bytes) => _bytesIn.Add(bytes);

    public void BytesSent(int bytes) => _bytesOut.Add(bytes);

    public void Upgraded() => _upgrades.Add(1);

    public void PacketDropped() => _dropped.Add(1);

    public void RequestRefused(EngineErrorCode code) => _refused.Add(1, new KeyValuePair<string, object?>("code", (int)code));
}
