using System.Text.Json;

namespace Sockeye;

/// <summary>
/// An event sent by another server of the cluster with <c>ServerSideEmitAsync</c>: its name, arguments and, when the
/// sender waits for answers, the acknowledgement.
/// </summary>
public sealed class ServerSideEventContext : SocketArguments
{
    private readonly Action<object?>? _ack;
    private int _acked;

    internal ServerSideEventContext(string eventName, SocketArguments args, Action<object?>? ack, JsonSerializerOptions options)
        : base(args.Args, args.Attachments, options)
    {
        EventName = eventName;
        _ack = ack;
    }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>Whether the sending server waits for an answer (<c>ServerSideEmitWithAckAsync</c>).</summary>
    public bool HasAck => _ack is not null;

    /// <summary>
    /// Answers the sending server with one value (the reference adapters carry exactly one). The first answer of this
    /// server counts; later calls, and calls when no answer is awaited, do nothing.
    /// </summary>
    public Task AckAsync(object? response)
    {
        if (_ack is not null && Interlocked.Exchange(ref _acked, 1) == 0)
        {
            _ack(response);
        }

        return Task.CompletedTask;
    }
}
