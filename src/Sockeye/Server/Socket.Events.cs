using System.Collections.Immutable;
using System.Text.Json;
using Sockeye.Diagnostics;
using Sockeye.Protocol.SocketIO;

namespace Sockeye;

/// <summary>Per-socket packet middleware: call <c>next</c> to continue; throw to drop the packet (the socket's
/// <see cref="Socket.Error"/> event is raised with the exception).</summary>
public delegate Task SocketMiddleware(SocketEventContext context, Func<Task> next);

public sealed partial class Socket
{
    private EventHandlers[] _handlers = [];

    private ImmutableArray<Func<SocketEventContext, Task>> _anyHandlers = [];
    private ImmutableArray<Action<string, IReadOnlyList<object?>>> _anyOutgoing = [];
    private ImmutableArray<SocketMiddleware> _middlewares = [];

    /// <summary>Raised when packet middleware refuses a packet or a handler throws.</summary>
    public event Action<Socket, Exception>? Error;

    /// <summary>Handles an event with access to every argument and the acknowledgement.</summary>
    public Socket On(string eventName, Func<SocketEventContext, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        EventHandlers[] current, next;
        do
        {
            current = System.Threading.Volatile.Read(ref _handlers);
            next = EventHandlers.With(current, eventName, handler);
        }
        while (Interlocked.CompareExchange(ref _handlers, next, current) != current);

        return this;
    }

    /// <summary>Handles an event synchronously.</summary>
    public Socket On(string eventName, Action<SocketEventContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, context =>
        {
            handler(context);
            return Task.CompletedTask;
        });
    }

    /// <summary>Handles an event whose first argument is deserialized as <typeparamref name="T"/>.</summary>
    public Socket On<T>(string eventName, Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, context => handler(FirstArg<T>(context)));
    }

    /// <summary>Handles an event whose first argument is deserialized as <typeparamref name="T"/>, synchronously.</summary>
    public Socket On<T>(string eventName, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, context =>
        {
            handler(FirstArg<T>(context));
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Handles an event whose first argument is deserialized as <typeparamref name="T"/> and answers through the
    /// acknowledgement callback.
    /// </summary>
    public Socket On<T>(string eventName, Func<T, AckCallback, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, context => handler(FirstArg<T>(context), context.Ack));
    }

    /// <summary>Removes every handler of an event.</summary>
    public Socket Off(string eventName)
    {
        EventHandlers[] current, next;
        do
        {
            current = System.Threading.Volatile.Read(ref _handlers);
            next = EventHandlers.Without(current, eventName);
        }
        while (Interlocked.CompareExchange(ref _handlers, next, current) != current);

        return this;
    }

    /// <summary>Handles every incoming event (before the specific handlers).</summary>
    public Socket OnAny(Func<SocketEventContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _anyHandlers, list => list.Add(handler));
        return this;
    }

    /// <summary>Handles every incoming event synchronously.</summary>
    public Socket OnAny(Action<SocketEventContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnAny(context =>
        {
            handler(context);
            return Task.CompletedTask;
        });
    }

    /// <summary>Removes every catch-all handler.</summary>
    public Socket OffAny()
    {
        ImmutableInterlocked.Update(ref _anyHandlers, _ => []);
        return this;
    }

    /// <summary>Observes every event sent to this client, including broadcasts.</summary>
    public Socket OnAnyOutgoing(Action<string, IReadOnlyList<object?>> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ImmutableInterlocked.Update(ref _anyOutgoing, list => list.Add(listener));
        return this;
    }

    /// <summary>Removes every outgoing listener.</summary>
    public Socket OffAnyOutgoing()
    {
        ImmutableInterlocked.Update(ref _anyOutgoing, _ => []);
        return this;
    }

    /// <summary>Adds packet middleware: it runs, in order, for every incoming event before the handlers.</summary>
    public Socket Use(SocketMiddleware middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        ImmutableInterlocked.Update(ref _middlewares, list => list.Add(middleware));
        return this;
    }

    private static T FirstArg<T>(SocketEventContext context) => context.Count == 0 ? default! : context.GetArg<T>(0)!;

    private void NotifyOutgoing(string eventName, IReadOnlyList<object?> args)
    {
        var listeners = _anyOutgoing;
        if (listeners.IsEmpty)
        {
            return;
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener(eventName, args);
            }
            catch (Exception ex)
            {
                SocketIOLog.HandlerFailed(Server.Logger, Id, eventName, ex);
            }
        }
    }

    private void OnEvent(SocketPacket packet)
    {
        var array = packet.Data!.Value;
        var first = array[0];
        var eventName = first.ValueKind == JsonValueKind.String ? first.GetString()! : first.GetRawText();
        var args = SocketArguments.FromArray(array, 1, packet.Attachments, Server.JsonOptions);
        var context = new SocketEventContext(this, eventName, packet.AckId, args.Args, packet.Attachments, Server.JsonOptions);
        Namespace.Metrics.EventReceived(Namespace.Name);

        var middlewares = _middlewares;
        if (middlewares.IsEmpty)
        {
            Dispatch(context);
            return;
        }

        _ = RunMiddlewaresAsync(middlewares, context);
    }

    private async Task RunMiddlewaresAsync(ImmutableArray<SocketMiddleware> middlewares, SocketEventContext context)
    {
        try
        {
            await Run(0).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RaiseError(ex);
        }

        Task Run(int index) => index == middlewares.Length
            ? DispatchAsync(context)
            : middlewares[index](context, () => Run(index + 1));
    }

    private Task DispatchAsync(SocketEventContext context)
    {
        Dispatch(context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Calls the handlers in order. Each runs synchronously up to its first await, like an event listener in Node;
    /// the receive loop does not wait for the rest, so a handler awaiting this client's own acknowledgement cannot
    /// deadlock the connection.
    /// </summary>
    private void Dispatch(SocketEventContext context)
    {
        foreach (var handler in _anyHandlers)
        {
            Invoke(handler, context);
        }

        if (EventHandlers.Find(System.Threading.Volatile.Read(ref _handlers), context.EventName) is { } handlers)
        {
            foreach (var handler in handlers)
            {
                Invoke(handler, context);
            }
        }
    }

    private void Invoke(Func<SocketEventContext, Task> handler, SocketEventContext context)
    {
        Task task;
        try
        {
            task = handler(context);
        }
        catch (Exception ex)
        {
            OnHandlerFailed(context.EventName, ex);
            return;
        }

        if (!task.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(task, context.EventName);
        }
    }

    private async Task ObserveAsync(Task task, string eventName)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnHandlerFailed(eventName, ex);
        }
    }

    private void OnHandlerFailed(string eventName, Exception ex)
    {
        SocketIOLog.HandlerFailed(Server.Logger, Id, eventName, ex);
        RaiseError(ex);
    }

    private void RaiseError(Exception ex)
    {
        Namespace.Metrics.Error(Namespace.Name);
        try
        {
            Error?.Invoke(this, ex);
        }
        catch (Exception inner)
        {
            SocketIOLog.HandlerFailed(Server.Logger, Id, "error", inner);
        }
    }
}
