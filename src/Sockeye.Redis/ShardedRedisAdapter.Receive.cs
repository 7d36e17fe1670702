using Sockeye.Adapters;
using Sockeye.Redis.Diagnostics;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

public sealed partial class ShardedRedisAdapter
{
    /// <summary>
    /// Subscribes to a room's channel while the room has local members, in the order rooms come and go. A change that
    /// fails while Redis is down is logged and dropped; rooms created after the outage subscribe again.
    /// </summary>
    private async Task FollowRoomsAsync()
    {
        try
        {
            await Ready.ConfigureAwait(false);
            var subscriber = _backplane.Multiplexer!.GetSubscriber();
            await foreach (var (room, subscribe) in _roomChanges.Reader.ReadAllAsync(_disposed.Token).ConfigureAwait(false))
            {
                try
                {
                    if (subscribe && !_roomQueues.ContainsKey(room))
                    {
                        var queue = await subscriber.SubscribeAsync(RedisChannel.Sharded(RoomChannel(room))).ConfigureAwait(false);
                        queue.OnMessage(OnMessage);
                        lock (_roomQueues)
                        {
                            _roomQueues[room] = queue;
                        }
                    }
                    else if (!subscribe)
                    {
                        ChannelMessageQueue? queue;
                        lock (_roomQueues)
                        {
                            _roomQueues.Remove(room, out queue);
                        }

                        if (queue is not null)
                        {
                            await queue.UnsubscribeAsync().ConfigureAwait(false);
                        }
                    }
                }
                catch (RedisException ex)
                {
                    RedisLog.SubscribeFailed(_backplane.Logger, Namespace.Name, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private Task OnMessage(ChannelMessage raw)
    {
        Dictionary<string, object?>? message;
        try
        {
            message = WireValues.DecodeMessage((ReadOnlyMemory<byte>)raw.Message);
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or System.Text.Json.JsonException)
        {
            RedisLog.MalformedMessage(_backplane.Logger, raw.Channel.ToString(), ex);
            return Task.CompletedTask;
        }

        if (message is null || message.String("uid") == Uid || (message.String("nsp") ?? "/") != Namespace.Name
            || message.Map("data") is not { } data)
        {
            return Task.CompletedTask;
        }

        var type = message.Integer("type") ?? -1;
        try
        {
            Handle(type, data, message.String("uid"));
        }
        catch (Exception ex)
        {
            RedisLog.RequestFailed(_backplane.Logger, type, Namespace.Name, ex);
        }

        return Task.CompletedTask;
    }

    private void Handle(long type, IReadOnlyDictionary<string, object?> data, string? requester)
    {
        var requestId = data.String("requestId");
        switch (type)
        {
            case MessageTypes.Broadcast:
                if (data.Map("packet") is not { } packet || !WireOptions.TryReadEvent(packet.Array("data"), out var eventName, out var args))
                {
                    return;
                }

                if (requestId is null)
                {
                    BroadcastLocal(CreatePacket(eventName, args, withAck: false), WireOptions.Read(data.Map("opts")));
                }
                else
                {
                    BroadcastLocalWithAck(
                        CreatePacket(eventName, args, withAck: true),
                        WireOptions.Read(data.Map("opts")),
                        count => Respond(requester, MessageTypes.BroadcastClientCount, requestId, "clientCount", (long)count),
                        answer => Respond(requester, MessageTypes.BroadcastAck, requestId, "packet", answer.Count == 0 ? null : WireValues.FromObject(answer.ToEchoArgs()[0], SerializerOptions)));
                }

                break;
            case MessageTypes.SocketsJoin:
                _ = base.AddSocketsAsync(WireOptions.Read(data.Map("opts")), data.Strings("rooms")).AsTask();
                break;
            case MessageTypes.SocketsLeave:
                _ = base.DeleteSocketsAsync(WireOptions.Read(data.Map("opts")), data.Strings("rooms")).AsTask();
                break;
            case MessageTypes.DisconnectSockets:
                _ = base.DisconnectSocketsAsync(WireOptions.Read(data.Map("opts")), data.Flag("close")).AsTask();
                break;
            case MessageTypes.FetchSockets:
                _ = AnswerFetchAsync(requester, requestId, WireOptions.Read(data.Map("opts")));
                break;
            case MessageTypes.ServerSideEmit:
                if (!WireOptions.TryReadEvent(data.Array("packet"), out var name, out var values))
                {
                    return;
                }

                Action<object?>? ack = requestId is null
                    ? null
                    : value => Respond(requester, MessageTypes.ServerSideEmitResponse, requestId, "packet", WireValues.FromObject(value, SerializerOptions));
                DispatchServerSideEmit(name, CreateArguments(values), ack);
                break;
            case MessageTypes.FetchSocketsResponse:
            case MessageTypes.ServerSideEmitResponse:
            case MessageTypes.BroadcastClientCount:
            case MessageTypes.BroadcastAck:
                if (requestId is not null)
                {
                    _requests.OnResponse(requestId, type, data);
                }

                break;
            default:
                break;
        }
    }

    private async Task AnswerFetchAsync(string? requester, string? requestId, BroadcastOptions options)
    {
        var sockets = await base.FetchSocketsAsync(options).ConfigureAwait(false);
        Respond(requester, MessageTypes.FetchSocketsResponse, requestId, "sockets", sockets.Select(s => (object?)WireSockets.ToWire(s, SerializerOptions)).ToArray());
    }

    /// <summary>Answers on the requester's own channel; the count and the acknowledgements go out in call order.</summary>
    private void Respond(string? requester, int type, string? requestId, string key, object? value)
    {
        if (requester is null)
        {
            return;
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { ["requestId"] = requestId, [key] = value };
        _ = _link.TryPublishAsync(RedisChannel.Sharded(_channel + requester + "#"), Message(type, data), "response");
    }
}
