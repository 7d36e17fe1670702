using Sockeye.Adapters;
using Sockeye.Redis.Diagnostics;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

public sealed partial class RedisAdapter
{
    /// <summary>Every message of the namespace, in the order Redis delivered them.</summary>
    private void OnMessage(ChannelMessage message)
    {
        var channel = message.Channel.ToString();
        switch (_channels.Classify(channel))
        {
            case ChannelKind.Broadcast:
                OnBroadcastMessage(channel, message.Message);
                break;
            case ChannelKind.Request:
                OnRequestMessage(channel, message.Message);
                break;
            case ChannelKind.Response:
                OnResponseMessage(channel, message.Message);
                break;
            default:
                break;
        }
    }

    /// <summary>A broadcast published by another server (or an emitter): <c>[uid, packet, opts]</c> in MessagePack.</summary>
    private void OnBroadcastMessage(string channel, RedisValue message)
    {
        // A single-room broadcast is dropped before decoding when no local socket is in the room.
        var room = _channels.RoomOf(channel);
        if (room.Length > 0 && GetRoomSize(room) == 0)
        {
            return;
        }

        try
        {
            if (Notepack.Decode((ReadOnlyMemory<byte>)message) is not object?[] { Length: >= 3 } parts
                || parts[1] is not IReadOnlyDictionary<string, object?> packet
                || parts[2] is not IReadOnlyDictionary<string, object?> opts)
            {
                RedisLog.MalformedMessage(_backplane.Logger, channel, null);
                return;
            }

            if (parts[0] as string == Uid || (packet.String("nsp") ?? "/") != Namespace.Name
                || !WireOptions.TryReadEvent(packet.Array("data"), out var eventName, out var args))
            {
                return;
            }

            BroadcastLocal(CreatePacket(eventName, args, withAck: false), WireOptions.Read(opts));
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or InvalidCastException or FormatException)
        {
            RedisLog.MalformedMessage(_backplane.Logger, channel, ex);
        }
    }

    /// <summary>
    /// A request of another server or of an emitter (JSON, or MessagePack for broadcasts with acks). Its effect on local
    /// sockets happens before the next message is handled; only the publishing of the answer goes on in the background.
    /// </summary>
    private void OnRequestMessage(string channel, RedisValue message)
    {
        Dictionary<string, object?>? request;
        try
        {
            request = WireValues.DecodeMessage((ReadOnlyMemory<byte>)message);
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or System.Text.Json.JsonException)
        {
            RedisLog.MalformedMessage(_backplane.Logger, channel, ex);
            return;
        }

        // This server applied its own requests locally before publishing them.
        if (request is null || request.String("uid") == Uid)
        {
            return;
        }

        _ = HandleRequestSafelyAsync(request.Integer("type") ?? -1, request);
    }

    private async Task HandleRequestSafelyAsync(long type, Dictionary<string, object?> request)
    {
        try
        {
            await HandleRequestAsync(type, request).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RedisLog.RequestFailed(_backplane.Logger, type, Namespace.Name, ex);
        }
    }

    private async Task HandleRequestAsync(long type, Dictionary<string, object?> request)
    {
        var requester = request.String("uid");
        var requestId = request.String("requestId");
        switch (type)
        {
            case RequestType.Sockets:
                var sockets = await base.FetchSocketsAsync(new BroadcastOptions(request.Strings("rooms"), BroadcastOptions.Everyone.Except, default)).ConfigureAwait(false);
                await PublishResponseAsync(requester, Response(requestId, "sockets", sockets.Select(s => s.Id).ToArray())).ConfigureAwait(false);
                break;
            case RequestType.AllRooms:
                await PublishResponseAsync(requester, Response(requestId, "rooms", GetRooms().ToArray())).ConfigureAwait(false);
                break;
            case RequestType.RemoteJoin:
            case RequestType.RemoteLeave:
            case RequestType.RemoteDisconnect:
                await HandleRoomsRequestAsync(type, request, requester, requestId).ConfigureAwait(false);
                break;
            case RequestType.RemoteFetch:
                var fetched = await base.FetchSocketsAsync(WireOptions.Read(request.Map("opts"))).ConfigureAwait(false);
                var wire = fetched.Select(s => (object?)WireSockets.ToWire(s, SerializerOptions)).ToArray();
                await PublishResponseAsync(requester, Response(requestId, "sockets", wire)).ConfigureAwait(false);
                break;
            case RequestType.ServerSideEmit:
                HandleServerSideEmit(request, requestId);
                break;
            case RequestType.Broadcast:
                HandleBroadcastWithAck(request, requester, requestId);
                break;
            default:
                break;
        }
    }

    private async Task HandleRoomsRequestAsync(long type, Dictionary<string, object?> request, string? requester, string? requestId)
    {
        if (request.Map("opts") is { } opts)
        {
            var options = WireOptions.Read(opts);
            var rooms = request.Strings("rooms");
            switch (type)
            {
                case RequestType.RemoteJoin:
                    await base.AddSocketsAsync(options, rooms).ConfigureAwait(false);
                    break;
                case RequestType.RemoteLeave:
                    await base.DeleteSocketsAsync(options, rooms).ConfigureAwait(false);
                    break;
                default:
                    await base.DisconnectSocketsAsync(options, request.Flag("close")).ConfigureAwait(false);
                    break;
            }

            return;
        }

        // The single-socket form of older adapters: {sid, room | close, requestId}, answered when the socket is here.
        if (request.String("sid") is not { } sid || !Namespace.TryGetSocket(sid, out var socket))
        {
            return;
        }

        var room = request.String("room");
        switch (type)
        {
            case RequestType.RemoteJoin when room is not null:
                socket.Join(room);
                break;
            case RequestType.RemoteLeave when room is not null:
                socket.Leave(room);
                break;
            case RequestType.RemoteDisconnect:
                socket.Disconnect(request.Flag("close"));
                break;
            default:
                return;
        }

        await PublishResponseAsync(requester, Response(requestId, null, null)).ConfigureAwait(false);
    }

    private void HandleServerSideEmit(Dictionary<string, object?> request, string? requestId)
    {
        if (!WireOptions.TryReadEvent(request.Array("data"), out var eventName, out var args))
        {
            return;
        }

        Action<object?>? ack = null;
        if (requestId is not null)
        {
            // Always on the shared response channel, as the Node adapter answers server-side emits.
            ack = value => _ = PublishServerSideAckAsync(requestId, value);
        }

        DispatchServerSideEmit(eventName, CreateArguments(args), ack);
    }

    private async Task PublishServerSideAckAsync(string requestId, object? value)
    {
        var response = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["type"] = (long)RequestType.ServerSideEmit,
            ["requestId"] = requestId,
            ["data"] = WireValues.FromObject(value, SerializerOptions),
        };
        await _link.TryPublishAsync(_channels.Response, WireValues.EncodeMessage(response), "response").ConfigureAwait(false);
    }

    private void HandleBroadcastWithAck(Dictionary<string, object?> request, string? requester, string? requestId)
    {
        if (requestId is null || _requests.IsCollectingAcks(requestId)
            || request.Map("packet") is not { } packet
            || !WireOptions.TryReadEvent(packet.Array("data"), out var eventName, out var args))
        {
            return;
        }

        // The count goes out before any acknowledgement can: both are published on one connection, in order.
        BroadcastLocalWithAck(
            CreatePacket(eventName, args, withAck: true),
            WireOptions.Read(request.Map("opts")),
            count => _ = PublishResponseAsync(requester, new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["type"] = (long)RequestType.BroadcastClientCount,
                ["requestId"] = requestId,
                ["clientCount"] = (long)count,
            }),
            answer => _ = PublishResponseAsync(
                requester,
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["type"] = (long)RequestType.BroadcastAck,
                    ["requestId"] = requestId,
                    ["packet"] = answer.Count == 0 ? null : WireValues.FromObject(answer.ToEchoArgs()[0], SerializerOptions),
                },
                msgpack: true));
    }

    /// <summary>A response to a request of this server.</summary>
    private void OnResponseMessage(string channel, RedisValue message)
    {
        Dictionary<string, object?>? response;
        try
        {
            response = WireValues.DecodeMessage((ReadOnlyMemory<byte>)message);
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or System.Text.Json.JsonException)
        {
            RedisLog.MalformedMessage(_backplane.Logger, channel, ex);
            return;
        }

        if (response?.String("requestId") is { } requestId)
        {
            _requests.OnResponse(requestId, response.Integer("type"), response);
        }
    }

    private static Dictionary<string, object?> Response(string? requestId, string? key, object? value)
    {
        var response = new Dictionary<string, object?>(StringComparer.Ordinal) { ["requestId"] = requestId };
        if (key is not null)
        {
            response[key] = value;
        }

        return response;
    }
}
