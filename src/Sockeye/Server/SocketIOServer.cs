using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sockeye.Adapters;
using Sockeye.Diagnostics;
using Sockeye.Engine;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>
/// The Socket.IO server (Node's <c>io</c>): namespaces, and the main namespace's API as shortcuts. Registered as a
/// singleton by <c>AddSocketIO</c>, so any service can inject it to emit.
/// </summary>
public sealed class SocketIOServer
{
    private readonly ConcurrentDictionary<string, SocketNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly List<ParentNamespace> _parents = [];
    private readonly Lock _lock = new();

    internal SocketIOServer(IOptions<SocketIOOptions> options, ISocketAdapterFactory adapterFactory, ILoggerFactory loggerFactory, SocketIOMetrics metrics, TimeProvider timeProvider, Recovery.IConnectionStateStore? recoveryStore = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options.Value;
        AdapterFactory = adapterFactory;
        Logger = loggerFactory.CreateLogger("Sockeye.Server");
        Metrics = metrics;
        TimeProvider = timeProvider;
        RecoveryStore = Options.ConnectionStateRecovery is null ? null : recoveryStore;
        JsonOptions = SocketJson.CreateOptions(Options.JsonSerializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Sockets = Of("/");
    }

    /// <summary>The options.</summary>
    public SocketIOOptions Options { get; }

    /// <summary>The main namespace <c>/</c>.</summary>
    public SocketNamespace Sockets { get; }

    /// <summary>Every namespace created so far.</summary>
    public IEnumerable<SocketNamespace> Namespaces => _namespaces.Values;

    /// <summary>The Engine.IO endpoint, once <c>MapSocketIO</c> has run.</summary>
    public EngineServer? Engine { get; internal set; }

    /// <summary>The number of open connections.</summary>
    public int ClientsCount => Engine?.ClientsCount ?? 0;

    /// <summary>Raised when a namespace is created (statically or as a dynamic child).</summary>
    public event Action<SocketNamespace>? NamespaceCreated;

    internal ISocketAdapterFactory AdapterFactory { get; }

    internal ILogger Logger { get; }

    internal SocketIOMetrics Metrics { get; }

    internal TimeProvider TimeProvider { get; }

    internal JsonSerializerOptions JsonOptions { get; }

    /// <summary>The store of disconnected sessions and recent packets; null when recovery is off.</summary>
    internal Recovery.IConnectionStateStore? RecoveryStore { get; }

    /// <summary>Told when a socket with recovery connected or changed rooms, for stores that keep live sessions.</summary>
    internal Action<Socket>? SessionChanged { get; set; }

    /// <summary>Returns the namespace with this name, creating it if needed.</summary>
    public SocketNamespace Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return GetOrCreate(Normalize(name), null);
    }

    /// <summary>Declares dynamic namespaces whose names match a regular expression.</summary>
    public ParentNamespace Of(Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return AddParent((name, _) => ValueTask.FromResult(pattern.IsMatch(name)));
    }

    /// <summary>Declares dynamic namespaces accepted by a predicate (given the name and the client's auth payload).</summary>
    public ParentNamespace Of(Func<string, JsonElement?, ValueTask<bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return AddParent(predicate);
    }

    /// <inheritdoc cref="SocketNamespace.Use(ConnectionMiddleware)"/>
    public SocketIOServer Use(ConnectionMiddleware middleware)
    {
        Sockets.Use(middleware);
        return this;
    }

    /// <inheritdoc cref="SocketNamespace.OnConnection(Action{Socket})"/>
    public SocketIOServer OnConnection(Action<Socket> handler)
    {
        Sockets.OnConnection(handler);
        return this;
    }

    /// <inheritdoc cref="SocketNamespace.OnConnection(Func{Socket, Task})"/>
    public SocketIOServer OnConnection(Func<Socket, Task> handler)
    {
        Sockets.OnConnection(handler);
        return this;
    }

    /// <inheritdoc cref="SocketNamespace.To(string)"/>
    public BroadcastOperator To(string room) => Sockets.To(room);

    /// <inheritdoc cref="SocketNamespace.To(IEnumerable{string})"/>
    public BroadcastOperator To(IEnumerable<string> rooms) => Sockets.To(rooms);

    /// <inheritdoc cref="SocketNamespace.In(string)"/>
    public BroadcastOperator In(string room) => Sockets.In(room);

    /// <inheritdoc cref="SocketNamespace.Except(string)"/>
    public BroadcastOperator Except(string room) => Sockets.Except(room);

    /// <inheritdoc cref="SocketNamespace.Local"/>
    public BroadcastOperator Local => Sockets.Local;

    /// <inheritdoc cref="SocketNamespace.Volatile"/>
    public BroadcastOperator Volatile => Sockets.Volatile;

    /// <inheritdoc cref="SocketNamespace.Timeout(TimeSpan)"/>
    public BroadcastOperator Timeout(TimeSpan timeout) => Sockets.Timeout(timeout);

    /// <inheritdoc cref="SocketNamespace.EmitAsync(string, object?[])"/>
    public ValueTask EmitAsync(string eventName, params object?[] args) => Sockets.EmitAsync(eventName, args);

    /// <inheritdoc cref="SocketNamespace.EmitWithAckAsync(string, object?[])"/>
    public Task<IReadOnlyList<SocketArguments>> EmitWithAckAsync(string eventName, params object?[] args) => Sockets.EmitWithAckAsync(eventName, args);

    /// <inheritdoc cref="SocketNamespace.SendAsync(object?[])"/>
    public ValueTask SendAsync(params object?[] args) => Sockets.SendAsync(args);

    /// <inheritdoc cref="SocketNamespace.FetchSocketsAsync"/>
    public ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync() => Sockets.FetchSocketsAsync();

    /// <inheritdoc cref="SocketNamespace.SocketsJoinAsync(string[])"/>
    public ValueTask SocketsJoinAsync(params string[] rooms) => Sockets.SocketsJoinAsync(rooms);

    /// <inheritdoc cref="SocketNamespace.SocketsLeaveAsync(string[])"/>
    public ValueTask SocketsLeaveAsync(params string[] rooms) => Sockets.SocketsLeaveAsync(rooms);

    /// <inheritdoc cref="SocketNamespace.DisconnectSocketsAsync(bool)"/>
    public ValueTask DisconnectSocketsAsync(bool close = false) => Sockets.DisconnectSocketsAsync(close);

    /// <inheritdoc cref="SocketNamespace.OnServerSideEmit(string, Func{ServerSideEventContext, Task})"/>
    public SocketIOServer OnServerSideEmit(string eventName, Func<ServerSideEventContext, Task> handler)
    {
        Sockets.OnServerSideEmit(eventName, handler);
        return this;
    }

    /// <inheritdoc cref="SocketNamespace.OnServerSideEmit(string, Action{ServerSideEventContext})"/>
    public SocketIOServer OnServerSideEmit(string eventName, Action<ServerSideEventContext> handler)
    {
        Sockets.OnServerSideEmit(eventName, handler);
        return this;
    }

    /// <inheritdoc cref="SocketNamespace.ServerSideEmitAsync(string, object?[])"/>
    public ValueTask ServerSideEmitAsync(string eventName, params object?[] args) => Sockets.ServerSideEmitAsync(eventName, args);

    /// <inheritdoc cref="SocketNamespace.ServerSideEmitWithAckAsync(string, object?[])"/>
    public Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, params object?[] args) =>
        Sockets.ServerSideEmitWithAckAsync(eventName, args);

    /// <inheritdoc cref="SocketNamespace.ServerSideEmitWithAckAsync(string, object?[], CancellationToken)"/>
    public Task<IReadOnlyList<SocketArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        Sockets.ServerSideEmitWithAckAsync(eventName, args, cancellationToken);

    /// <summary>Disconnects every client with <c>server shutting down</c> and stops accepting new ones.</summary>
    public Task CloseAsync(CancellationToken cancellationToken = default) =>
        Engine?.ShutdownAsync(cancellationToken) ?? Task.CompletedTask;

    internal void OnEngineConnection(EngineSocket engine) => _ = new SocketClient(this, engine);

    internal async ValueTask<SocketNamespace?> ResolveNamespaceAsync(string name, JsonElement? auth)
    {
        if (_namespaces.TryGetValue(name, out var existing))
        {
            return existing;
        }

        ParentNamespace[] parents;
        lock (_lock)
        {
            parents = [.. _parents];
        }

        foreach (var parent in parents)
        {
            if (await parent.MatchesAsync(name, auth).ConfigureAwait(false))
            {
                if (_namespaces.Values.Count(n => n.Parent is not null) >= Options.MaxDynamicNamespaces)
                {
                    SocketIOLog.TooManyNamespaces(Logger, name, Options.MaxDynamicNamespaces);
                    return null;
                }

                return GetOrCreate(name, parent);
            }
        }

        return null;
    }

    internal void RemoveChild(SocketNamespace nsp)
    {
        if (nsp.IsEmpty)
        {
            _namespaces.TryRemove(new KeyValuePair<string, SocketNamespace>(nsp.Name, nsp));
        }
    }

    private SocketNamespace GetOrCreate(string name, ParentNamespace? parent)
    {
        if (_namespaces.TryGetValue(name, out var existing))
        {
            return existing;
        }

        SocketNamespace created;
        lock (_lock)
        {
            if (_namespaces.TryGetValue(name, out existing))
            {
                return existing;
            }

            created = new SocketNamespace(this, name, parent);
            _namespaces[name] = created;
        }

        NamespaceCreated?.Invoke(created);
        return created;
    }

    private ParentNamespace AddParent(Func<string, JsonElement?, ValueTask<bool>> matcher)
    {
        var parent = new ParentNamespace(this, matcher);
        lock (_lock)
        {
            _parents.Add(parent);
        }

        return parent;
    }

    private static string Normalize(string name) => name.StartsWith('/') ? name : "/" + name;
}
