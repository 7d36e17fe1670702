using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sockeye.Chat.Tests.Infrastructure;

/// <summary>
/// Real socket.io-client instances (tests/interop/chat-actors.mjs) driven by name: connect, emit with ack, and wait for
/// the events each one receives.
/// </summary>
public sealed class ChatClients : IAsyncDisposable
{
    private readonly Sockeye.Tests.Infrastructure.NodeScript _script;
    private readonly List<JsonElement> _lines = [];
    private readonly Lock _lock = new();
    private readonly Task _reader;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextRef;
    private Exception? _failure;

    private ChatClients(Sockeye.Tests.Infrastructure.NodeScript script)
    {
        _script = script;
        _reader = Task.Run(ReadAsync);
    }

    public static async Task<ChatClients> StartAsync(Uri server)
    {
        var clients = new ChatClients(Sockeye.Tests.Infrastructure.NodeScript.Start("chat-actors.mjs", server.ToString()));
        await clients.WaitForAsync(l => l.GetProperty("event").GetString() == "ready", "the script to start");
        return clients;
    }

    /// <summary>
    /// Connects a client and returns its connect outcome (a <c>connected</c> or <c>connect_error</c> line): to the
    /// script's server, or to <paramref name="url"/>, from <paramref name="localAddress"/> when given (a 127.x.y.z
    /// address, to look like another client machine to a proxy).
    /// </summary>
    public async Task<JsonElement> ConnectAsync(string name, string? token, string[]? transports = null, bool reconnection = false, object? headers = null, object? query = null, Uri? url = null, string? localAddress = null)
    {
        var seen = Count;
        await SendAsync(new { op = "connect", name, token, transports, reconnection, headers, query, url = url?.ToString(), localAddress });
        return await WaitForAsync(
            l => l.GetProperty("name").ValueEquals(name) && (l.GetProperty("event").ValueEquals("connected") || l.GetProperty("event").ValueEquals("connect_error")),
            $"{name} to connect",
            seen);
    }

    /// <summary>Emits with an acknowledgement and returns the ack's first argument.</summary>
    public async Task<JsonElement> EmitWithAckAsync(string name, string eventName, params object?[] args)
    {
        var reference = Interlocked.Increment(ref _nextRef);
        await SendAsync(new { op = "emit", name, @event = eventName, args, ack = true, @ref = reference });
        var line = await WaitForAsync(l => l.GetProperty("event").ValueEquals("ack") && l.GetProperty("ref").GetInt32() == reference, $"{name}'s ack of {eventName}");
        Assert.False(line.TryGetProperty("timeout", out _), $"{eventName} was not acknowledged: {line}");
        return line.GetProperty("result");
    }

    /// <summary>Emits without an acknowledgement.</summary>
    public async Task EmitAsync(string name, string eventName, params object?[] args)
    {
        var reference = Interlocked.Increment(ref _nextRef);
        await SendAsync(new { op = "emit", name, @event = eventName, args, ack = false, @ref = reference });
        await WaitForAsync(l => l.GetProperty("event").ValueEquals("sent") && l.GetProperty("ref").GetInt32() == reference, "the emit");
    }

    public Task DisconnectAsync(string name) => SendAsync(new { op = "disconnect", name });

    /// <summary>
    /// Connects a client without automatic reconnection again (to <paramref name="url"/> when given) and returns its
    /// <c>connected</c> line; it presents its private session id and last offset, as any reconnection does.
    /// </summary>
    public async Task<JsonElement> ReconnectAsync(string name, Uri? url = null)
    {
        var seen = Count;
        await SendAsync(new { op = "reconnect", name, url = url?.ToString() });
        return await WaitForAsync(
            l => l.GetProperty("name").ValueEquals(name) && (l.GetProperty("event").ValueEquals("connected") || l.GetProperty("event").ValueEquals("connect_error")),
            $"{name} to reconnect",
            seen);
    }

    public Task KillTransportAsync(string name) => SendAsync(new { op = "kill-transport", name });

    /// <summary>The position in the stream of lines, to wait only for what comes after it.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Waits for an event received by a client (its args).</summary>
    public async Task<JsonElement> ReceivedAsync(string name, string type, Func<JsonElement, bool>? match = null, int from = 0)
    {
        var line = await WaitForAsync(
            l => l.GetProperty("event").ValueEquals("received") && l.GetProperty("name").ValueEquals(name)
                && l.GetProperty("type").ValueEquals(type) && (match is null || match(l.GetProperty("args"))),
            $"{name} to receive {type}",
            from);
        return line.GetProperty("args");
    }

    /// <summary>Every event of a type a client received so far.</summary>
    public IReadOnlyList<JsonElement> AllReceived(string name, string type)
    {
        lock (_lock)
        {
            return [.. _lines.Where(l => l.GetProperty("event").ValueEquals("received") && l.GetProperty("name").ValueEquals(name) && l.GetProperty("type").ValueEquals(type)).Select(l => l.GetProperty("args"))];
        }
    }

    /// <summary>Waits for a line; fails after a timeout or when the script reported an error.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, int from = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_failure is not null)
                {
                    throw new InvalidOperationException($"The client script failed while waiting for {what}.", _failure);
                }

                for (var i = from; i < _lines.Count; i++)
                {
                    if (_lines[i].GetProperty("event").ValueEquals("error"))
                    {
                        Assert.Fail($"The client script reported an error while waiting for {what}: {_lines[i]}");
                    }

                    if (match(_lines[i]))
                    {
                        return _lines[i];
                    }
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _script.DisposeAsync();
        await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    private Task SendAsync(object command) => _script.SendAsync(JsonSerializer.Serialize(command, JsonSerializerOptions.Web));

    private async Task ReadAsync()
    {
        try
        {
            while (true)
            {
                var line = await _script.ReadAsync(TimeSpan.FromMinutes(10));
                lock (_lock)
                {
                    _lines.Add(line);
                    _changed.TrySetResult();
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure = ex;
                _changed.TrySetResult();
            }
        }
    }
}
