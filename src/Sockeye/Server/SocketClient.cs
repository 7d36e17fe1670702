using Sockeye.Diagnostics;
using Sockeye.Engine;
using Sockeye.Protocol.EngineIO;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>
/// The Socket.IO side of one Engine.IO connection: decodes its packets and routes them to the socket of each
/// namespace the client joined.
/// </summary>
internal sealed class SocketClient
{
    private readonly SocketIOServer _server;
    private readonly SocketPacketDecoder _decoder;

    // The sockets of the namespaces this client joined, usually one: an array replaced under the lock on every change
    // and read without it, so that a packet's lookup takes no lock and an idle connection holds no dictionary.
    private Socket[] _sockets = [];
    private readonly Lock _lock = new();
    private ITimer? _connectTimer;

    public SocketClient(SocketIOServer server, EngineSocket engine)
    {
        _server = server;
        Engine = engine;
        _decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = server.Options.MaxAttachments });
        engine.Tag = this;
        engine.MessageReceived += OnMessage;
        engine.Closed += OnEngineClosed;

        // A connection that joins no namespace in time is dropped: it only holds resources.
        _connectTimer = server.TimeProvider.CreateTimer(
            static state => ((SocketClient)state!).OnConnectTimeout(),
            this,
            server.Options.ConnectTimeout,
            Timeout.InfiniteTimeSpan);
    }

    public EngineSocket Engine { get; }

    public void Send(EncodedPacket packet) => Engine.Send(packet.Frames);

    public void Add(Socket socket)
    {
        lock (_lock)
        {
            var index = IndexOf(_sockets, socket.Namespace.Name);
            Socket[] next = index < 0 ? [.. _sockets, socket] : (Socket[])_sockets.Clone();
            if (index >= 0)
            {
                next[index] = socket;
            }

            Volatile.Write(ref _sockets, next);
            _connectTimer?.Dispose();
            _connectTimer = null;
        }
    }

    public void Remove(Socket socket)
    {
        lock (_lock)
        {
            var index = IndexOf(_sockets, socket.Namespace.Name);
            if (index >= 0 && ReferenceEquals(_sockets[index], socket))
            {
                Volatile.Write(ref _sockets, [.. _sockets.AsSpan(0, index), .. _sockets.AsSpan(index + 1)]);
            }
        }
    }

    /// <summary>Disconnects every namespace (each client socket gets DISCONNECT), then closes the connection.</summary>
    public void DisconnectAll()
    {
        foreach (var socket in Snapshot())
        {
            socket.Disconnect();
        }

        Engine.Close();
    }

    // The array is never changed in place.
    private Socket[] Snapshot() => Volatile.Read(ref _sockets);

    private static int IndexOf(Socket[] sockets, string name)
    {
        for (var i = 0; i < sockets.Length; i++)
        {
            if (string.Equals(sockets[i].Namespace.Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void OnMessage(EngineSocket engine, EnginePacket message)
    {
        SocketPacket? packet;
        try
        {
            packet = message.IsBinary ? _decoder.DecodeBinary(message.Data) : _decoder.DecodeText(message.Data.Span);
        }
        catch (SocketProtocolException ex)
        {
            // Only this connection is affected: it is closed, and every other client carries on.
            SocketIOLog.ParseError(_server.Logger, engine.Id, ex.Message);
            _server.Metrics.ParseError();
            engine.CloseAbruptly(EngineCloseReasons.ParseError, ex.Message);
            return;
        }

        if (packet is not null)
        {
            OnPacket(packet);
        }
    }

    private void OnPacket(SocketPacket packet)
    {
        if (packet.Type == SocketPacketType.Connect)
        {
            _ = ConnectAsync(packet.Namespace, packet.Data);
            return;
        }

        var sockets = Snapshot();
        var index = IndexOf(sockets, packet.Namespace);

        // Packets for a namespace this client has not joined are ignored, as the reference does.
        if (index >= 0)
        {
            sockets[index].OnPacket(packet);
        }
    }

    private async Task ConnectAsync(string name, System.Text.Json.JsonElement? auth)
    {
        try
        {
            lock (_lock)
            {
                if (IndexOf(_sockets, name) >= 0)
                {
                    SocketIOLog.DuplicateConnect(_server.Logger, Engine.Id, name);
                    return;
                }
            }

            var nsp = IsValidName(name) ? await _server.ResolveNamespaceAsync(name, auth).ConfigureAwait(false) : null;
            if (nsp is null)
            {
                Send(EncodedPacket.ConnectError(name, "Invalid namespace", null, _server.JsonOptions));
                return;
            }

            await nsp.ConnectAsync(this, auth).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SocketIOLog.HandlerFailed(_server.Logger, Engine.Id, "connect", ex);
        }
    }

    /// <summary>Namespace names are at most 256 characters without control characters: they reach logs and metrics.</summary>
    private bool IsValidName(string name)
    {
        if (name.Length > 256 || name.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || name.Contains('\u007f', StringComparison.Ordinal))
        {
            SocketIOLog.InvalidNamespaceName(_server.Logger, Engine.Id);
            return false;
        }

        return true;
    }

    private void OnConnectTimeout()
    {
        lock (_lock)
        {
            if (_sockets.Length > 0 || _connectTimer is null)
            {
                return;
            }
        }

        Engine.Close();
    }

    private void OnEngineClosed(EngineSocket engine, string reason, string? description)
    {
        lock (_lock)
        {
            _connectTimer?.Dispose();
            _connectTimer = null;
        }

        foreach (var socket in Snapshot())
        {
            socket.OnClose(reason, description);
        }
    }
}
