using System.Text.Json;

namespace Sockeye;

/// <summary>
/// A family of dynamic namespaces, matched by a pattern or a predicate: a child is created on the first connection
/// to a matching name, and the parent's middleware and connection handlers apply to every child.
/// </summary>
public sealed class ParentNamespace
{
    private readonly Func<string, JsonElement?, ValueTask<bool>> _matcher;
    private readonly Lock _lock = new();
    private ConnectionMiddleware[] _middlewares = [];
    private Func<Socket, Task>[] _connectionHandlers = [];

    internal ParentNamespace(SocketIOServer server, Func<string, JsonElement?, ValueTask<bool>> matcher)
    {
        Server = server;
        _matcher = matcher;
    }

    /// <summary>The server.</summary>
    public SocketIOServer Server { get; }

    /// <summary>The child namespaces created so far.</summary>
    public IEnumerable<SocketNamespace> Children => Server.Namespaces.Where(n => n.Parent == this);

    internal ConnectionMiddleware[] Middlewares => Volatile.Read(ref _middlewares);

    internal Func<Socket, Task>[] ConnectionHandlers => Volatile.Read(ref _connectionHandlers);

    /// <summary>Adds middleware for every child.</summary>
    public ParentNamespace Use(ConnectionMiddleware middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        lock (_lock)
        {
            _middlewares = [.. _middlewares, middleware];
        }

        return this;
    }

    /// <summary>Adds a connection handler for every child.</summary>
    public ParentNamespace OnConnection(Action<Socket> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnConnection(socket =>
        {
            handler(socket);
            return Task.CompletedTask;
        });
    }

    /// <summary>Adds an asynchronous connection handler for every child.</summary>
    public ParentNamespace OnConnection(Func<Socket, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _connectionHandlers = [.. _connectionHandlers, handler];
        }

        return this;
    }

    /// <summary>Sends an event to every socket of every child.</summary>
    public async ValueTask EmitAsync(string eventName, params object?[] args)
    {
        foreach (var child in Children)
        {
            await child.EmitAsync(eventName, args).ConfigureAwait(false);
        }
    }

    internal ValueTask<bool> MatchesAsync(string name, JsonElement? auth) => _matcher(name, auth);
}
