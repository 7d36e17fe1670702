using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Sockeye.Adapters;
using Sockeye.Diagnostics;

namespace Sockeye;

/// <summary>Connection middleware: call <c>next</c> to continue, throw <see cref="ConnectionRejectedException"/> to refuse.</summary>
/// <param name="socket">The socket asking to connect (not yet connected).</param>
/// <param name="next">The rest of the chain.</param>
public delegate Task ConnectionMiddleware(Socket socket, Func<Task> next);

/// <summary>
/// A namespace: a channel multiplexed over the connection, with its own sockets, rooms, middleware and handlers.
/// Its broadcast methods target every socket in it.
/// </summary>
public sealed class SocketNamespace
{
    private readonly ConcurrentDictionary<string, Socket> _sockets = new(StringComparer.Ordinal);
    private readonly ParentNamespace? _parent;
    private ConnectionMiddleware[] _middlewares = [];
    private Func<Socket, Task>[] _connectionHandlers = [];
    private ImmutableDictionary<string, ImmutableArray<Func<ServerSideEventContext, Task>>> _serverSideHandlers =
        ImmutableDictionary.Create<string, ImmutableArray<Func<ServerSideEventContext, Task>>>(StringComparer.Ordinal);
    private long _nextAckId;

    internal SocketNamespace(SocketIOServer server, string name, ParentNamespace? parent)
    {
        Server = server;
        Name = name;
        _parent = parent;
        Adapter = server.AdapterFactory.Create(this);
        Operator = new BroadcastOperator(this);
    }

    /// <summary>The name, starting with <c>/</c>.</summary>
    public string Name { get; }

    /// <summary>The server.</summary>
    public SocketIOServer Server { get; }

    /// <summary>The adapter that indexes rooms and carries broadcasts.</summary>
    public ISocketAdapter Adapter { get; }

    /// <summary>The sockets connected to this namespace on this server, by id.</summary>
    public IReadOnlyDictionary<string, Socket> Sockets => _sockets;

    internal BroadcastOperator Operator { get; }

    internal ParentNamespace? Parent => _parent;

    internal SocketIOMetrics Metrics => Server.Metrics;

    internal bool IsEmpty => _sockets.IsEmpty;

    /// <summary>Adds connection middleware; it runs, in order, before a socket is connected.</summary>
    public SocketNamespace Use(ConnectionMiddleware middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        ImmutableInterlocked(ref _middlewares, middleware);
        return this;
    }

    /// <summary>Adds a handler for newly connected sockets (register the socket's event handlers here).</summary>
    public SocketNamespace OnConnection(Action<Socket> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnConnection(socket =>
        {
            handler(socket);
            return Task.CompletedTask;
        });
    }

    /// <summary>Adds an asynchronous handler for newly connected sockets.</summary>
    public SocketNamespace OnConnection(Func<Socket, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked(ref _connectionHandlers, handler);
        return this;
    }

    /// <summary>
    /// Handles an event that another server of the cluster sent with <see cref="ServerSideEmitAsync"/> or
    /// <see cref="ServerSideEmitWithAckAsync(string, object?[])"/> (Node's <c>nsp.on(event, ...)</c> for server-side
    /// events). The handler answers through <see cref="ServerSideEventContext.AckAsync"/> when the sender waits.
    /// </summary>
    public SocketNamespace OnServerSideEmit(string eventName, Func<ServerSideEventContext, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        System.Collections.Immutable.ImmutableInterlocked.AddOrUpdate(ref _serverSideHandlers, eventName, [handler], (_, list) => list.Add(handler));
        return this;
    }

    /// <summary>Handles a server-side event synchronously.</summary>
    public SocketNamespace OnServerSideEmit(string eventName, Action<ServerSideEventContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnServerSideEmit(eventName, context =>
        {
            handler(context);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Sends an event to the other servers of the cluster (not to clients); they receive it in their
    /// <see cref="OnServerSideEmit(string, Func{ServerSideEventContext, Task})"/> handlers. With the in-memory adapter
    /// there is no other server and nothing is sent.
    /// </summary>
    /// <exception cref="ArgumentException">The event name is reserved (<c>connect</c>, <c>connection</c>, <c>new_namespace</c>).</exception>
    public ValueTask ServerSideEmitAsync(string eventName, params object?[] args)
    {
        ThrowIfReservedServerSide(eventName);
        ArgumentNullException.ThrowIfNull(args);
        return Adapter.ServerSideEmitAsync(eventName, args);
    }

    /// <summary>
    /// Sends an event to the other servers of the cluster and waits for one answer from each, up to the adapter's
    /// request timeout.
    /// </summary>
    /// <returns>One answer per other server (none with the in-memory adapter).</returns>
    /// <exception cref="AckTimeoutException">Some servers did not answer in time; the others' answers are in
    /// <see cref="AckTimeoutException.Responses"/>.</exception>
    public Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, params object?[] args) =>
        ServerSideEmitWithAckAsync(eventName, args, CancellationToken.None);

    /// <summary>As <see cref="ServerSideEmitWithAckAsync(string, object?[])"/>, with cancellation.</summary>
    public Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        ThrowIfReservedServerSide(eventName);
        ArgumentNullException.ThrowIfNull(args);
        return Adapter.ServerSideEmitWithAckAsync(eventName, args, cancellationToken);
    }

    /// <summary>The rooms that have members on any server of the cluster.</summary>
    public ValueTask<IReadOnlyCollection<string>> AllRoomsAsync() => Adapter.AllRoomsAsync();

    /// <summary>Finds a socket of this namespace on this server.</summary>
    public bool TryGetSocket(string id, out Socket socket) => _sockets.TryGetValue(id, out socket!);

    /// <inheritdoc cref="BroadcastOperator.To(string)"/>
    public BroadcastOperator To(string room) => Operator.To(room);

    /// <inheritdoc cref="BroadcastOperator.To(IEnumerable{string})"/>
    public BroadcastOperator To(IEnumerable<string> rooms) => Operator.To(rooms);

    /// <inheritdoc cref="BroadcastOperator.In(string)"/>
    public BroadcastOperator In(string room) => Operator.In(room);

    /// <inheritdoc cref="BroadcastOperator.Except(string)"/>
    public BroadcastOperator Except(string room) => Operator.Except(room);

    /// <inheritdoc cref="BroadcastOperator.Except(IEnumerable{string})"/>
    public BroadcastOperator Except(IEnumerable<string> rooms) => Operator.Except(rooms);

    /// <inheritdoc cref="BroadcastOperator.Local"/>
    public BroadcastOperator Local => Operator.Local;

    /// <inheritdoc cref="BroadcastOperator.Volatile"/>
    public BroadcastOperator Volatile => Operator.Volatile;

    /// <inheritdoc cref="BroadcastOperator.Timeout(TimeSpan)"/>
    public BroadcastOperator Timeout(TimeSpan timeout) => Operator.Timeout(timeout);

    /// <inheritdoc cref="BroadcastOperator.Compress(bool)"/>
    public BroadcastOperator Compress(bool compress) => Operator.Compress(compress);

    /// <summary>Sends an event to every socket of the namespace.</summary>
    public ValueTask EmitAsync(string eventName, params object?[] args) => Operator.EmitAsync(eventName, args);

    /// <inheritdoc cref="BroadcastOperator.EmitWithAckAsync(string, object?[])"/>
    public Task<IReadOnlyList<SocketArguments>> EmitWithAckAsync(string eventName, params object?[] args) => Operator.EmitWithAckAsync(eventName, args);

    /// <inheritdoc cref="BroadcastOperator.SendAsync(object?[])"/>
    public ValueTask SendAsync(params object?[] args) => Operator.SendAsync(args);

    /// <inheritdoc cref="BroadcastOperator.FetchSocketsAsync"/>
    public ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync() => Operator.FetchSocketsAsync();

    /// <inheritdoc cref="BroadcastOperator.SocketsJoinAsync(string[])"/>
    public ValueTask SocketsJoinAsync(params string[] rooms) => Operator.SocketsJoinAsync(rooms);

    /// <inheritdoc cref="BroadcastOperator.SocketsLeaveAsync(string[])"/>
    public ValueTask SocketsLeaveAsync(params string[] rooms) => Operator.SocketsLeaveAsync(rooms);

    /// <inheritdoc cref="BroadcastOperator.DisconnectSocketsAsync(bool)"/>
    public ValueTask DisconnectSocketsAsync(bool close = false) => Operator.DisconnectSocketsAsync(close);

    /// <summary>Ack ids are per namespace: one id can then serve every recipient of a broadcast.</summary>
    internal long NextAckId() => Interlocked.Increment(ref _nextAckId) - 1;

    /// <summary>Runs the server-side handlers of an event that came from another server.</summary>
    internal void DispatchServerSideEmit(string eventName, SocketArguments args, Action<object?>? ack)
    {
        if (!_serverSideHandlers.TryGetValue(eventName, out var handlers))
        {
            return;
        }

        // One context for every handler: the first answer of this server is the one sent back.
        var context = new ServerSideEventContext(eventName, args, ack, Server.JsonOptions);
        foreach (var handler in handlers)
        {
            _ = RunServerSideHandlerAsync(handler, context);
        }
    }

    /// <summary>Runs the middleware for a CONNECT request and, if it passes, connects the socket.</summary>
    internal async Task ConnectAsync(SocketClient client, JsonElement? auth)
    {
        var handshake = new SocketHandshake(client.Engine.Handshake, auth);
        var (session, offset) = await TryRecoverAsync(auth).ConfigureAwait(false);
        var socket = session is null
            ? new Socket(this, client, handshake)
            : new Socket(this, client, handshake, session.Sid, session.Pid);
        if (session is not null)
        {
            socket.RestoreData(session.Data);
        }

        try
        {
            if (session is null || !Server.Options.ConnectionStateRecovery!.SkipMiddlewares)
            {
                await RunMiddlewaresAsync(socket).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            var (message, data) = ex is ConnectionRejectedException rejected
                ? (rejected.Message, rejected.ErrorData)
                : ("Internal server error", null);
            if (ex is not ConnectionRejectedException)
            {
                SocketIOLog.MiddlewareFailed(Server.Logger, Name, ex);
            }

            Adapter.DeleteAll(socket.Id);
            Metrics.ConnectionRejected(Name);
            client.Send(EncodedPacket.ConnectError(Name, message, data, Server.JsonOptions));
            return;
        }

        if (!client.Engine.IsOpen)
        {
            Adapter.DeleteAll(socket.Id);
            return;
        }

        _sockets[socket.Id] = socket;
        client.Add(socket);
        if (session is not null && !await socket.RestoreAsync(session, offset!, Server.RecoveryStore!).ConfigureAwait(false))
        {
            return;
        }

        socket.OnConnected();
        Metrics.SocketConnected(Name);
        SocketIOLog.SocketConnected(Server.Logger, socket.Id, Name, client.Engine.Id);
        await RunConnectionHandlersAsync(socket).ConfigureAwait(false);
    }

    /// <summary>Takes back a session when the client presents a known pid and a kept offset.</summary>
    private async ValueTask<(Recovery.RecoverySession? Session, string? Offset)> TryRecoverAsync(JsonElement? auth)
    {
        if (Server.RecoveryStore is not { } store
            || auth is not { ValueKind: JsonValueKind.Object } payload
            || !payload.TryGetProperty("pid", out var pid) || pid.ValueKind != JsonValueKind.String
            || !payload.TryGetProperty("offset", out var offset) || offset.ValueKind != JsonValueKind.String)
        {
            return default;
        }

        Recovery.RestoreResult result;
        try
        {
            result = await store.RestoreAsync(Name, pid.GetString()!, offset.GetString()!).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A store that cannot answer (a shared one that is unreachable) costs the client its session, not its connection.
            SocketIOLog.RestoreFailed(Server.Logger, Name, ex);
            Metrics.Recovery(Name, "store_error");
            return default;
        }

        if (result.Succeeded && _sockets.ContainsKey(result.Session.Sid))
        {
            // A shared store may hold a snapshot of a socket that this server still has (its transport died unnoticed):
            // one socket per id here, so the client starts afresh.
            result = Recovery.RestoreResult.Failed(Recovery.RecoveryFailure.UnknownSession);
        }

        Metrics.Recovery(Name, result.Failure switch
        {
            null => "recovered",
            Recovery.RecoveryFailure.OffsetNotKept => "offset_not_kept",
            _ => "unknown_session",
        });
        return result.Succeeded ? (result.Session, offset.GetString()) : default;
    }

    internal void Remove(Socket socket)
    {
        if (_sockets.TryRemove(new KeyValuePair<string, Socket>(socket.Id, socket)))
        {
            Metrics.SocketDisconnected(Name);
            if (_parent is not null && _sockets.IsEmpty && Server.Options.CleanupEmptyChildNamespaces)
            {
                Server.RemoveChild(this);
            }
        }
    }

    private Task RunMiddlewaresAsync(Socket socket)
    {
        var chain = _parent is null ? _middlewares : [.. _parent.Middlewares, .. _middlewares];
        return Run(0);

        Task Run(int index) => index == chain.Length ? Task.CompletedTask : chain[index](socket, () => Run(index + 1));
    }

    private async Task RunConnectionHandlersAsync(Socket socket)
    {
        var handlers = _parent is null ? _connectionHandlers : [.. _parent.ConnectionHandlers, .. _connectionHandlers];
        var pending = new Task[handlers.Length];
        for (var i = 0; i < handlers.Length; i++)
        {
            try
            {
                pending[i] = handlers[i](socket);
            }
            catch (Exception ex)
            {
                pending[i] = Task.FromException(ex);
            }
        }

        // The handlers have registered their event handlers (the synchronous part of each ran): packets the client
        // sent right after CONNECT can now be dispatched, in order.
        socket.MarkReady();
        foreach (var task in pending)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                SocketIOLog.HandlerFailed(Server.Logger, socket.Id, "connection", ex);
            }
        }
    }

    private static void ThrowIfReservedServerSide(string eventName)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (eventName is "connect" or "connection" or "new_namespace")
        {
            throw new ArgumentException($"'{eventName}' is a reserved event name and cannot be emitted.", nameof(eventName));
        }
    }

    private async Task RunServerSideHandlerAsync(Func<ServerSideEventContext, Task> handler, ServerSideEventContext context)
    {
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SocketIOLog.HandlerFailed(Server.Logger, Name, context.EventName, ex);
        }
    }

    private static void ImmutableInterlocked<T>(ref T[] array, T item)
    {
        // Copy on write: handlers are added rarely (at start-up or on connection) and read on every packet.
        while (true)
        {
            var current = System.Threading.Volatile.Read(ref array);
            T[] next = [.. current, item];
            if (Interlocked.CompareExchange(ref array, next, current) == current)
            {
                return;
            }
        }
    }
}
