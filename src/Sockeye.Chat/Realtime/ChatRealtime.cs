using System.Text.Json;
using System.Threading.RateLimiting;
using Sockeye.Chat.Auth;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Messages;
using Sockeye.Chat.Operations;

namespace Sockeye.Chat.Realtime;

/// <summary>
/// The chat over Socket.IO: authentication at connect, rooms, presence, messages (validated, rate limited, persisted
/// before they are acknowledged or broadcast, de-duplicated), history and sync.
/// </summary>
internal sealed class ChatRealtime(
    SocketIOServer io,
    SocketAuthenticator authenticator,
    IMessageStore store,
    IRoomPresence presence,
    PresenceTracker localPresence,
    ConnectionLimiter connections,
    DrainState drain,
    ChatMetrics metrics,
    ChatSettings settings,
    ILogger<ChatRealtime> logger)
{
    private const int MaxRoomsPerSocket = 50;
    private const string UserKey = "user_id";

    public void Configure(SocketIOServer server)
    {
        server.Use(AuthenticateAsync);
        server.OnConnection(OnConnection);
    }

    private async Task AuthenticateAsync(Socket socket, Func<Task> next)
    {
        var result = await authenticator.AuthenticateAsync(socket.Handshake, CancellationToken.None).ConfigureAwait(false);
        if (result.User is null)
        {
            ChatLog.ConnectionRefused(logger, socket.Id, result.FailureCode!);
            metrics.Error(result.FailureCode!);
            throw new ConnectionRejectedException("unauthorized", new { code = result.FailureCode });
        }

        // The user id comes from the validated token, never from anything else the client sends.
        var userId = result.User.FindFirst(ChatClaims.UserId)?.Value;
        if (string.IsNullOrEmpty(userId))
        {
            throw new ConnectionRejectedException("unauthorized", new { code = AuthFailure.Invalid });
        }

        if (!connections.TryAcquire(userId, settings.MaxConnectionsPerUser))
        {
            ChatLog.ConnectionRefused(logger, socket.Id, ChatErrorCodes.ConnectionLimit);
            metrics.Error(ChatErrorCodes.ConnectionLimit);
            throw new ConnectionRejectedException("too many connections", new { code = ChatErrorCodes.ConnectionLimit });
        }

        socket.Data[UserKey] = userId;
        try
        {
            await next().ConfigureAwait(false);
        }
        catch
        {
            connections.Release(userId);
            throw;
        }
    }

    private async Task OnConnection(Socket socket)
    {
        var userId = (string)socket.Data[UserKey]!;
        var connection = new ChatConnection(userId, settings);
        var scope = new Dictionary<string, object?> { ["socket_id"] = socket.Id, ["engine_sid"] = socket.Connection.Id, ["user_id"] = userId };
        using var _ = logger.BeginScope(scope);
        metrics.Connected();
        ChatLog.UserConnected(logger, userId, socket.Id);

        socket.OnAny(_ => metrics.Received());
        socket.On("chat_message", ctx => WithScope(scope, () => OnChatMessageAsync(socket, connection, ctx)));
        socket.On("join_room", ctx => WithScope(scope, () => OnJoinRoomAsync(socket, connection, ctx)));
        socket.On("leave_room", ctx => WithScope(scope, () => OnLeaveRoomAsync(socket, connection, ctx)));
        socket.On("history", ctx => WithScope(scope, () => OnHistoryAsync(socket, ctx)));
        socket.On("sync", ctx => WithScope(scope, () => OnSyncAsync(socket, ctx)));
        socket.On("who", ctx => WithScope(scope, () => OnWhoAsync(socket, ctx)));
        socket.Disconnecting += (s, reason, _) => OnDisconnecting(s, connection, reason);

        // A recovered socket is back in the rooms it had; presence counts it there again (its disconnect took it out,
        // or its dead instance's share is removed by the others).
        var rooms = socket.Recovered ? [.. socket.Rooms.Where(r => r != socket.Id)] : new[] { RoomNames.Default };
        foreach (var room in rooms)
        {
            await JoinRoomAsync(socket, connection, room).ConfigureAwait(false);
        }
    }

    private async Task WithScope(Dictionary<string, object?> scope, Func<Task> handler)
    {
        using var _ = logger.BeginScope(scope);
        await handler().ConfigureAwait(false);
    }

    private async Task OnChatMessageAsync(Socket socket, ChatConnection connection, SocketEventContext ctx)
    {
        // Wait for this connection's previous message first, so a user's messages are stored in the order sent.
        await connection.SendOrder.WaitAsync().ConfigureAwait(false);
        try
        {
            using var lease = connection.RateLimiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalMilliseconds) : connection.MillisecondsPerToken;
                await RejectAsync(socket, ctx, new ChatError(ChatErrorCodes.RateLimited, "too many messages; retry later", RetryAfterMs: retryAfter)).ConfigureAwait(false);
                return;
            }

            var (input, error) = ChatMessageInput.Parse(ctx);
            if (error is null && !socket.Rooms.Contains(input!.Room))
            {
                error = ChatError.Invalid("room", $"not a member of room '{input.Room}'");
            }

            if (error is not null)
            {
                await RejectAsync(socket, ctx, error).ConfigureAwait(false);
                return;
            }

            using var inFlight = drain.Track();
            SaveResult saved;
            try
            {
                saved = await store.SaveAsync(connection.UserId, input!.Room, input.Text, input.MessageId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ChatLog.StoreFailed(logger, connection.UserId, input!.Room, ex);
                await RejectAsync(socket, ctx, new ChatError(ChatErrorCodes.Internal, "the message could not be stored; retry with the same message_id")).ConfigureAwait(false);
                return;
            }

            var record = saved.Record;
            if (saved.Duplicate)
            {
                // A retry of a message already stored: acknowledge with the original, broadcast nothing.
                metrics.Deduplicated();
            }
            else
            {
                ChatLog.MessageStored(logger, record.Id, record.Room, record.Seq, record.UserId);
                await socket.To(record.Room).EmitAsync("new_message", record).ConfigureAwait(false);

                // Counted by this instance's users in the room: other instances deliver to theirs.
                metrics.Sent(Math.Max(0, localPresence.Online(record.Room).Count - 1));
            }

            await ctx.AckAsync(record).ConfigureAwait(false);
        }
        finally
        {
            connection.SendOrder.Release();
        }
    }

    private async Task OnJoinRoomAsync(Socket socket, ChatConnection connection, SocketEventContext ctx)
    {
        if (!TryGetRoom(ctx, out var room, out var error))
        {
            await RejectAsync(socket, ctx, error!).ConfigureAwait(false);
            return;
        }

        if (!socket.Rooms.Contains(room))
        {
            if (socket.Rooms.Count > MaxRoomsPerSocket)
            {
                await RejectAsync(socket, ctx, ChatError.Invalid("room", $"at most {MaxRoomsPerSocket} rooms per connection")).ConfigureAwait(false);
                return;
            }

            await JoinRoomAsync(socket, connection, room).ConfigureAwait(false);
        }

        await ctx.AckAsync(new { ok = true, room }).ConfigureAwait(false);
    }

    private async Task OnLeaveRoomAsync(Socket socket, ChatConnection connection, SocketEventContext ctx)
    {
        if (!TryGetRoom(ctx, out var room, out var error))
        {
            await RejectAsync(socket, ctx, error!).ConfigureAwait(false);
            return;
        }

        if (socket.Rooms.Contains(room))
        {
            socket.Leave(room);
            await AnnounceLeaveAsync(socket, connection.UserId, room).ConfigureAwait(false);
        }

        await ctx.AckAsync(new { ok = true, room }).ConfigureAwait(false);
    }

    private async Task OnHistoryAsync(Socket socket, SocketEventContext ctx)
    {
        if (!TryGetRoom(ctx, out var room, out var error))
        {
            await RejectAsync(socket, ctx, error!).ConfigureAwait(false);
            return;
        }

        var payload = ctx.Args[0];
        long? before = null;
        if (payload.TryGetProperty("before", out var b) && b.ValueKind != JsonValueKind.Null)
        {
            if (!b.TryGetInt64(out var value) || value <= 0)
            {
                await RejectAsync(socket, ctx, ChatError.Invalid("before", "before must be a positive message id")).ConfigureAwait(false);
                return;
            }

            before = value;
        }

        if (!TryGetLimit(payload, out var limit))
        {
            await RejectAsync(socket, ctx, ChatError.Invalid("limit", "limit must be between 1 and 100")).ConfigureAwait(false);
            return;
        }

        if (await ReadAsync(socket, ctx, room, () => store.GetHistoryAsync(room, before, limit, CancellationToken.None)).ConfigureAwait(false) is { } messages)
        {
            await ctx.AckAsync(new { room, messages }).ConfigureAwait(false);
        }
    }

    private async Task OnSyncAsync(Socket socket, SocketEventContext ctx)
    {
        if (!TryGetRoom(ctx, out var room, out var error))
        {
            await RejectAsync(socket, ctx, error!).ConfigureAwait(false);
            return;
        }

        var payload = ctx.Args[0];
        if (!payload.TryGetProperty("after", out var a) || !a.TryGetInt64(out var after) || after < 0)
        {
            await RejectAsync(socket, ctx, ChatError.Invalid("after", "after must be a sequence number (0 or more)")).ConfigureAwait(false);
            return;
        }

        if (!TryGetLimit(payload, out var limit))
        {
            await RejectAsync(socket, ctx, ChatError.Invalid("limit", "limit must be between 1 and 100")).ConfigureAwait(false);
            return;
        }

        if (await ReadAsync(socket, ctx, room, () => store.GetAfterAsync(room, after, limit, CancellationToken.None)).ConfigureAwait(false) is { } messages)
        {
            metrics.Synced(messages.Count);
            await ctx.AckAsync(new { room, messages }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads a page of messages; when the store fails (the database is unreachable), answers with an error the client
    /// can retry on, rather than leaving it to its ack timeout, and returns null.
    /// </summary>
    private async Task<IReadOnlyList<ChatMessageRecord>?> ReadAsync(Socket socket, SocketEventContext ctx, string room, Func<Task<IReadOnlyList<ChatMessageRecord>>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ChatLog.ReadFailed(logger, room, ctx.EventName, ex);
            await RejectAsync(socket, ctx, new ChatError(ChatErrorCodes.Internal, "the messages could not be read; retry")).ConfigureAwait(false);
            return null;
        }
    }

    private async Task OnWhoAsync(Socket socket, SocketEventContext ctx)
    {
        if (!TryGetRoom(ctx, out var room, out var error))
        {
            await RejectAsync(socket, ctx, error!).ConfigureAwait(false);
            return;
        }

        var users = await presence.OnlineAsync(room).ConfigureAwait(false);
        await ctx.AckAsync(new { room, users }).ConfigureAwait(false);
    }

    private async Task JoinRoomAsync(Socket socket, ChatConnection connection, string room)
    {
        socket.Join(room);
        if (await presence.JoinAsync(room, connection.UserId).ConfigureAwait(false))
        {
            await socket.To(room).EmitAsync(PresenceEvents.Joined, PresenceEvents.Payload(connection.UserId, room)).ConfigureAwait(false);
        }
    }

    private async Task AnnounceLeaveAsync(Socket socket, string userId, string room)
    {
        if (await presence.LeaveAsync(room, userId).ConfigureAwait(false))
        {
            await io.To(room).Except(socket.Id).EmitAsync(PresenceEvents.Left, PresenceEvents.Payload(userId, room)).ConfigureAwait(false);
        }
    }

    private void OnDisconnecting(Socket socket, ChatConnection connection, string reason)
    {
        foreach (var room in socket.Rooms)
        {
            if (room != socket.Id)
            {
                _ = AnnounceLeaveAsync(socket, connection.UserId, room);
            }
        }

        connections.Release(connection.UserId);
        metrics.Disconnected();
        ChatLog.UserDisconnected(logger, connection.UserId, socket.Id, reason);
        connection.Dispose();
    }

    private async Task RejectAsync(Socket socket, SocketEventContext ctx, ChatError error)
    {
        ChatLog.Rejected(logger, socket.Id, ctx.EventName, error.Code, error.Field);
        metrics.Error(error.Code);
        socket.Emit("error", error);
        await ctx.AckAsync(new { error }).ConfigureAwait(false);
    }

    private static bool TryGetRoom(SocketEventContext ctx, out string room, out ChatError? error)
    {
        room = string.Empty;
        error = null;
        if (ctx.Count == 0 || ctx.Args[0].ValueKind != JsonValueKind.Object)
        {
            error = ChatError.Invalid("payload", $"{ctx.EventName} expects an object {{ room, ... }}");
            return false;
        }

        if (!ctx.Args[0].TryGetProperty("room", out var r) || r.ValueKind != JsonValueKind.String || !RoomNames.IsValid(r.GetString()))
        {
            error = ChatError.Invalid("room", "room must be 1-64 letters, digits, '_', '-' or '.'");
            return false;
        }

        room = r.GetString()!;
        return true;
    }

    private static bool TryGetLimit(JsonElement payload, out int limit)
    {
        limit = 50;
        if (!payload.TryGetProperty("limit", out var l) || l.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        return l.TryGetInt32(out limit) && limit is >= 1 and <= 100;
    }
}
