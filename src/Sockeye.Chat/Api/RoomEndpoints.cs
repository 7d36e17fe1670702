using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sockeye.Chat.Messages;
using Sockeye.Chat.Realtime;

namespace Sockeye.Chat.Api;

/// <summary><c>/api/rooms/{room}/...</c>: history and presence, for any authenticated user.</summary>
internal static class RoomEndpoints
{
    /// <summary>The page size when <c>limit</c> is absent.</summary>
    public const int DefaultLimit = 50;

    public static RouteGroupBuilder MapRoomEndpoints(this IEndpointRouteBuilder api)
    {
        var rooms = api.MapGroup("/rooms/{room}").RequireAuthorization();
        rooms.MapGet("/messages", GetMessagesAsync)
            .WithName("GetRoomMessages")
            .WithSummary("A page of a room's history, newest first")
            .WithDescription($"Messages with an id below `before` (all when absent), at most `limit` (1 to {EfMessageStore.MaxPageSize}, default {DefaultLimit}). The next page: `before` = the last id of this one.");
        rooms.MapGet("/presence", GetPresenceAsync)
            .WithName("GetRoomPresence")
            .WithSummary("The users online in a room")
            .WithDescription("Each user once, sorted, however many connections they have; with Redis, across every instance.");
        return rooms;
    }

    private static async Task<Results<Ok<IReadOnlyList<ChatMessageRecord>>, ValidationProblem>> GetMessagesAsync(
        string room,
        long? before,
        int? limit,
        [FromServices] IMessageStore store,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AddRoomError(errors, room);
        if (before is <= 0)
        {
            errors["before"] = ["A message id: a positive integer."];
        }

        if (limit is < 1 or > EfMessageStore.MaxPageSize)
        {
            errors["limit"] = [$"From 1 to {EfMessageStore.MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await store.GetHistoryAsync(room, before, limit ?? DefaultLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<PresenceResponse>, ValidationProblem>> GetPresenceAsync(string room, [FromServices] IRoomPresence presence)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AddRoomError(errors, room);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(new PresenceResponse(room, await presence.OnlineAsync(room).ConfigureAwait(false)));
    }

    private static void AddRoomError(Dictionary<string, string[]> errors, string room)
    {
        if (!RoomNames.IsValid(room))
        {
            errors["room"] = [$"1 to {RoomNames.MaxLength} characters: ASCII letters, digits, '_', '-' and '.'."];
        }
    }
}
