using Sockeye.Protocol.SocketIO;

namespace Sockeye;

public sealed partial class Socket
{
    private Dictionary<long, PendingAck>? _acks;

    /// <summary>Sends an event and waits for the client's acknowledgement, without a timeout.</summary>
    /// <exception cref="SocketDisconnectedException">The socket disconnected first.</exception>
    public Task<SocketArguments> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckCoreAsync(eventName, args, null, false, CancellationToken.None);

    /// <summary>Sends an event and waits for the client's acknowledgement until cancelled.</summary>
    public Task<SocketArguments> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        EmitWithAckCoreAsync(eventName, args, null, false, cancellationToken);

    internal async Task<SocketArguments> EmitWithAckCoreAsync(string eventName, object?[] args, TimeSpan? timeout, bool isVolatile, CancellationToken cancellationToken)
    {
        ThrowIfReserved(eventName);
        ArgumentNullException.ThrowIfNull(args);
        var id = Namespace.NextAckId();
        var pending = new PendingAck();
        RegisterAck(id, pending);
        Send(EncodedPacket.Event(Namespace.Name, eventName, args, id, Server.JsonOptions), eventName, args, isVolatile);
        try
        {
            return timeout is { } limit
                ? await pending.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false)
                : await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ForgetAck(id);
            throw new AckTimeoutException(eventName, timeout!.Value);
        }
        catch (OperationCanceledException)
        {
            ForgetAck(id);
            throw;
        }
    }

    /// <summary>Registers a callback for the acknowledgement with the given id (used by broadcasts with acks).</summary>
    internal void RegisterAck(long id, Action<SocketArguments> callback) => RegisterAck(id, new PendingAck(callback));

    internal void SendAck(long id, object?[] args)
    {
        if (!Connected)
        {
            return;
        }

        SendControl(EncodedPacket.Ack(Namespace.Name, id, args, Server.JsonOptions));
    }

    private void RegisterAck(long id, PendingAck pending)
    {
        lock (_lock)
        {
            if (_disconnectReason is { } reason)
            {
                throw new SocketDisconnectedException(reason);
            }

            _acks ??= [];
            if (_acks.Count >= Server.Options.MaxPendingAcks)
            {
                throw new InvalidOperationException($"Socket {Id} already waits for {_acks.Count} acknowledgements (MaxPendingAcks).");
            }

            _acks[id] = pending;
        }
    }

    private void ForgetAck(long id)
    {
        lock (_lock)
        {
            _acks?.Remove(id);
        }
    }

    private void OnAck(SocketPacket packet)
    {
        PendingAck? pending;
        lock (_lock)
        {
            // Unknown ids (late, duplicated or invented) are ignored, as the reference does; removal makes an ack
            // fire at most once.
            if (_acks is null || !_acks.Remove(packet.AckId!.Value, out pending))
            {
                return;
            }
        }

        Namespace.Metrics.AckReceived(Namespace.Name);
        pending.Complete(SocketArguments.FromArray(packet.Data!.Value, 0, packet.Attachments, Server.JsonOptions));
    }

    private void FailPendingAcks(string reason)
    {
        Dictionary<long, PendingAck>? acks;
        lock (_lock)
        {
            acks = _acks;
            _acks = null;
        }

        if (acks is null)
        {
            return;
        }

        foreach (var pending in acks.Values)
        {
            pending.Fail(new SocketDisconnectedException(reason));
        }
    }

    private sealed class PendingAck
    {
        private readonly Action<SocketArguments>? _callback;
        private readonly TaskCompletionSource<SocketArguments>? _completion;

        public PendingAck() => _completion = new TaskCompletionSource<SocketArguments>(TaskCreationOptions.RunContinuationsAsynchronously);

        public PendingAck(Action<SocketArguments> callback) => _callback = callback;

        public Task<SocketArguments> Task => _completion!.Task;

        public void Complete(SocketArguments args)
        {
            if (_completion is not null)
            {
                _completion.TrySetResult(args);
            }
            else
            {
                _callback!(args);
            }
        }

        public void Fail(Exception error) => _completion?.TrySetException(error);
    }
}
