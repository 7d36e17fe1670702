using System.Text.Json;
using Scalar.AspNetCore;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Api;

/// <summary>The REST API.</summary>
public static class ChatApiExtensions
{
    /// <summary>The OpenAPI document's route.</summary>
    public const string OpenApiRoute = "/openapi/{documentName}.json";

    /// <summary>Adds OpenAPI, problem details and the API's JSON shape (snake_case, as the socket events).</summary>
    public static IServiceCollection AddChatApi(this IServiceCollection services, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<BearerSecurityTransformer>();
            o.AddOperationTransformer<BearerSecurityTransformer>();
        });
        return services;
    }

    /// <summary>Maps the endpoints under <c>/api</c>, the OpenAPI document and its interactive UI at <c>/docs</c>.</summary>
    public static WebApplication MapChatApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").WithTags("Chat");
        api.MapTokenEndpoint();
        api.MapRoomEndpoints();
        api.MapBroadcastEndpoint();

        app.MapOpenApi(OpenApiRoute);
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("Sockeye Chat API")
            .WithOpenApiRoutePattern(OpenApiRoute));
        return app;
    }
}
