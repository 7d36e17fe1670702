using System.Text;
using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Transport;

/// <summary>
/// A Socket.IO client of the main namespace on one transport, for the soak: one request with an ack in flight at a
/// time, server events handed to an <see cref="ISocketIOClientObserver"/>, and the two ways a real client goes away,
/// a clean disconnect (<c>41</c>, then the transport's own close) and an abrupt drop (the connection is cut, nothing is
/// said). The transports only move Engine.IO packets; everything the packets mean is decided here.
/// </summary>
internal abstract class SocketIOClient
{
    private readonly Lock _lock = new();
    private readonly ISocketIOClientObserver _observer;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextAckId;
    private long _pendingAckId = -1;
    private TaskCompletionSource<string?>? _pendingAck;
    private int _ending;

    protected SocketIOClient(ISocketIOClientObserver observer) => _observer = observer;

    /// <summary><c>websocket</c> or <c>polling</c>.</summary>
    public abstract string TransportName { get; }

    /// <summary>A slot for the scenario's own per-client state.</summary>
    public object? State { get; set; }

    /// <summary>Whether the server accepted the namespace connection.</summary>
    public bool IsConnected => _connected.Task.IsCompletedSuccessfully;

    /// <summary>Why the session ended without this client ending it, or null.</summary>
    public string? LostReason { get; private set; }

    /// <summary>Set once the client started to end the session itself: what fails afterwards is expected.</summary>
    protected bool IsEnding => Volatile.Read(ref _ending) != 0;

    /// <summary>Opens the Engine.IO session and connects to the main namespace.</summary>
    public async Task ConnectAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        await OpenAsync(baseUri, cancellationToken).ConfigureAwait(false);
        await SendPacketAsync("40"u8.ToArray()).ConfigureAwait(false);
        await _connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Emits <paramref name="eventName"/> with string arguments (plain ASCII, nothing to escape) and an ack id, and waits
    /// for the ack. Returns the ack's arguments as sent (<c>["..."]</c>), or null when the ack did not come within
    /// <paramref name="timeout"/> or the session ended first (<see cref="LostReason"/> tells which).
    /// </summary>
    public async Task<string?> RequestAsync(TimeSpan timeout, string eventName, params string[] args)
    {
        var ack = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        long id;
        lock (_lock)
        {
            id = ++_nextAckId;
            _pendingAckId = id;
            _pendingAck = ack;
        }

        try
        {
            if (LostReason is not null)
            {
                return null;
            }

            await SendPacketAsync(Emit(id, eventName, args)).ConfigureAwait(false);
            return await ack.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_lock)
            {
                _pendingAck = null;
                _pendingAckId = -1;
            }
        }
    }

    /// <summary>Emits with an ack id but does not wait: a request still in flight when the client drops.</summary>
    public ValueTask SendWithoutWaitingAsync(string eventName, params string[] args) =>
        SendPacketAsync(Emit(Interlocked.Increment(ref _nextAckId), eventName, args));

    /// <summary>
    /// Leaves the namespace and closes the transport the way <c>socket.disconnect()</c> does. True when the server
    /// ended the session within five seconds.
    /// </summary>
    public Task<bool> DisconnectAsync()
    {
        Volatile.Write(ref _ending, 1);
        return CloseAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Cuts the connection without a word: no <c>41</c>, no close frame or close packet. With
    /// <paramref name="reset"/> the TCP connection is reset (RST) rather than shut down (FIN), where the transport
    /// allows it.
    /// </summary>
    public void Drop(bool reset)
    {
        Volatile.Write(ref _ending, 1);
        Abort(reset);
    }

    protected abstract Task OpenAsync(Uri baseUri, CancellationToken cancellationToken);

    /// <summary>Sends one Engine.IO packet; a failure ends the session (through <see cref="OnLost"/>).</summary>
    protected abstract ValueTask SendPacketAsync(ReadOnlyMemory<byte> packet);

    /// <summary>Sends the namespace and transport close, then waits for the server to end the session.</summary>
    protected abstract Task<bool> CloseAsync(TimeSpan timeout);

    protected abstract void Abort(bool reset);

    /// <summary>
    /// Handles one received Engine.IO packet. Returns false when the packet ends the session (the transport stops
    /// reading).
    /// </summary>
    protected bool OnPacket(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return true;
        }

        switch (packet[0])
        {
            case (byte)'2':
                // A server ping: answer at once, or the server ends the session after interval + timeout.
                _ = SendPacketAsync("3"u8.ToArray()).AsTask();
                return true;
            case (byte)'1':
                OnLost("the server closed the session");
                return false;
            case (byte)'4' when packet.Length >= 2:
                return OnSocketIOPacket(packet);
            default:
                // The open packet, noops: nothing to do.
                return true;
        }
    }

    /// <summary>The session ended: expected once the client is ending it, an error otherwise.</summary>
    protected void OnLost(string reason)
    {
        if (IsEnding)
        {
            return;
        }

        TaskCompletionSource<string?>? pending;
        lock (_lock)
        {
            if (LostReason is not null)
            {
                return;
            }

            LostReason = reason;
            pending = _pendingAck;
        }

        _connected.TrySetException(new IOException(reason));
        pending?.TrySetResult(null);
        _observer.OnLost(this, reason);
    }

    private static byte[] Emit(long ackId, string eventName, string[] args)
    {
        var text = new StringBuilder("42").Append(ackId).Append("[\"").Append(eventName).Append('"');
        foreach (var arg in args)
        {
            text.Append(",\"").Append(arg).Append('"');
        }

        return Encoding.ASCII.GetBytes(text.Append(']').ToString());
    }

    private bool OnSocketIOPacket(ReadOnlySpan<byte> packet)
    {
        switch (packet[1])
        {
            case (byte)'0':
                _connected.TrySetResult();
                return true;
            case (byte)'1':
                OnLost("the server disconnected the socket");
                return false;
            case (byte)'2':
                _observer.OnEvent(this, packet);
                return true;
            case (byte)'3':
                var position = 2;
                var id = WireAscii.ParseDigits(packet, ref position);
                TaskCompletionSource<string?>? ack = null;
                lock (_lock)
                {
                    if (id >= 0 && id == _pendingAckId)
                    {
                        ack = _pendingAck;
                    }
                }

                // Acks of requests sent without waiting (just before a drop) have nobody to wake.
                ack?.TrySetResult(Encoding.ASCII.GetString(packet[position..]));
                return true;
            case (byte)'4':
                var error = "connect_error: " + Encoding.UTF8.GetString(packet);
                _connected.TrySetException(new IOException(error));
                OnLost(error);
                return false;
            default:
                return true;
        }
    }
}
