using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sockeye.Chat.Auth;
using Sockeye.Chat.Messages;
using Sockeye.Chat.Realtime;

namespace Sockeye.Chat.Api;

/// <summary><c>POST /api/broadcast</c>: an alert to everyone in the default room, for admins.</summary>
internal static class BroadcastEndpoint
{
    public static RouteHandlerBuilder MapBroadcastEndpoint(this IEndpointRouteBuilder api) =>
        api.MapPost("/broadcast", BroadcastAsync)
            .RequireAuthorization(ChatClaims.AdminPolicy)
            .WithName("BroadcastAlert")
            .WithSummary("Sends an alert to the chat room")
            .WithDescription("Emits `alert { message, timestamp }` to every socket in the `chat` room. Requires the `admin` role.");

    private static async Task<Results<Accepted<AlertEvent>, ValidationProblem>> BroadcastAsync(
        BroadcastRequest? request,
        [FromServices] SocketIOServer io,
        [FromServices] TimeProvider time)
    {
        var message = request?.Message?.Trim();
        if (string.IsNullOrEmpty(message) || message.Length > ChatDbContext.TextMaxLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["message"] = [$"1 to {ChatDbContext.TextMaxLength} characters after trimming."],
            });
        }

        var alert = new AlertEvent(message, time.GetUtcNow());
        await io.To(RoomNames.Default).EmitAsync("alert", alert).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, alert);
    }
}
