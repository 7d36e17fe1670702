using System.Diagnostics.Metrics;

namespace Sockeye.Diagnostics;

/// <summary>The Socket.IO layer's instruments on the <c>Sockeye</c> meter, tagged by namespace.</summary>
public sealed class SocketIOMetrics
{
    private readonly UpDownCounter<long> _sockets;
    private readonly Counter<long> _connections;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _eventsIn;
    private readonly Counter<long> _eventsOut;
    private readonly Counter<long> _acks;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _broadcasts;
    private readonly Counter<long> _parseErrors;
    private readonly Counter<long> _recoveries;
    private readonly Counter<long> _replayed;

    internal SocketIOMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(EngineMetrics.MeterName);
        _sockets = meter.CreateUpDownCounter<long>("sockeye.sockets", "{socket}", "Connected sockets, by namespace.");
        _connections = meter.CreateCounter<long>("sockeye.sockets.connected", "{socket}", "Sockets connected, by namespace.");
        _rejected = meter.CreateCounter<long>("sockeye.sockets.rejected", "{socket}", "Connections refused by middleware, by namespace.");
        _eventsIn = meter.CreateCounter<long>("sockeye.events.received", "{event}", "Events received from clients.");
        _eventsOut = meter.CreateCounter<long>("sockeye.events.sent", "{event}", "Events sent to clients (one per recipient).");
        _acks = meter.CreateCounter<long>("sockeye.acks.received", "{ack}", "Acknowledgements received from clients.");
        _errors = meter.CreateCounter<long>("sockeye.errors", "{error}", "Handler and middleware errors.");
        _broadcasts = meter.CreateCounter<long>("sockeye.broadcasts", "{broadcast}", "Broadcasts started.");
        _parseErrors = meter.CreateCounter<long>("sockeye.parse_errors", "{error}", "Connections closed for an invalid Socket.IO packet.");
        _recoveries = meter.CreateCounter<long>("sockeye.recoveries", "{recovery}", "Connection state recoveries attempted, by outcome: recovered, unknown_session, offset_not_kept, store_error.");
        _replayed = meter.CreateCounter<long>("sockeye.recoveries.replayed", "{packet}", "Packets replayed to recovered sockets.");
    }

    internal void SocketConnected(string nsp)
    {
        var tag = new KeyValuePair<string, object?>("namespace", nsp);
        _sockets.Add(1, tag);
        _connections.Add(1, tag);
    }

    internal void SocketDisconnected(string nsp) => _sockets.Add(-1, new KeyValuePair<string, object?>("namespace", nsp));

    internal void ConnectionRejected(string nsp) => _rejected.Add(1, new KeyValuePair<string, object?>("namespace", nsp));

    internal void EventReceived(string nsp) => _eventsIn.Add(1, new KeyValuePair<string, object?>("namespace", nsp));

    internal void EventsSent(string nsp, int recipients)
    {
        if (recipients > 0)
        {
            _eventsOut.Add(recipients, new KeyValuePair<string, object?>("namespace", nsp));
        }
    }

    internal void AckReceived(string nsp) => _acks.Add(1, new KeyValuePair<string, object?>("namespace", nsp));

    internal void Error(string nsp) => _errors.Add(1, new KeyValuePair<string, object?>("namespace", nsp));

    internal void Broadcast(string nsp) => _broadcasts.Add(1, new KeyValuePair<string, object?>("namespace", nsp));

    internal void ParseError() => _parseErrors.Add(1);

    /// <param name="nsp">The namespace.</param>
    /// <param name="outcome"><c>recovered</c>, <c>unknown_session</c> (unknown, expired or already restored),
    /// <c>offset_not_kept</c> or <c>store_error</c>.</param>
    internal void Recovery(string nsp, string outcome) =>
        _recoveries.Add(1, new KeyValuePair<string, object?>("namespace", nsp), new KeyValuePair<string, object?>("outcome", outcome));

    internal void Replayed(string nsp, int packets) => _replayed.Add(packets, new KeyValuePair<string, object?>("namespace", nsp));
}
