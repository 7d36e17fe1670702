using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Prometheus;
using Sockeye.Chat.Configuration;

namespace Sockeye.Chat.Operations;

/// <summary>Logging, health, metrics, CORS and drain.</summary>
public static class OperationsExtensions
{
    /// <summary>The tag of the health checks that decide readiness; other modules add theirs (Redis, ...) with it.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds console logging (JSON lines when <see cref="ChatSettings.LogFormat"/> is <c>json</c>, one line of text
    /// otherwise, scopes included in both), health checks, metrics, the drain state and the service that drains on
    /// shutdown, the host's shutdown timeout and the CORS allow-list.
    /// </summary>
    public static WebApplicationBuilder AddChatOperations(this WebApplicationBuilder builder, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        if (string.Equals(settings.LogFormat, "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        builder.Services.AddSingleton<DrainState>();
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks()
            .AddCheck<DrainHealthCheck>("draining", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        builder.Services.AddHostedService<MetricsStartupService>();
        builder.Services.AddHostedService<DrainOnShutdownService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.AddCors(o =>
        {
            // Without origins there is no policy: browsers keep to the same origin.
            if (settings.CorsOrigins.Count > 0)
            {
                o.AddDefaultPolicy(policy => policy
                    .WithOrigins([.. settings.CorsOrigins])
                    .AllowAnyHeader()
                    .AllowAnyMethod()
                    .AllowCredentials()
                    .WithExposedHeaders(RequestLogScopeMiddleware.Header));
            }
        });
        return builder;
    }

    /// <summary>
    /// Adds the request middleware: the request id log scope, problem details for exceptions (and for empty error
    /// responses under <c>/api</c>), routing and the HTTP request metrics.
    /// </summary>
    public static WebApplication UseChatOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestLogScopeMiddleware>();
        app.UseExceptionHandler();

        // Limited to the API: Socket.IO answers its errors in its own format.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), api => api.UseStatusCodePages());

        // Routing first, so that the HTTP metrics are labelled with the matched endpoint.
        app.UseRouting();
        app.UseHttpMetrics();
        return app;
    }

    /// <summary>Maps <c>/healthz</c> (liveness), <c>/readyz</c> (readiness) and <c>/metrics</c> (Prometheus).</summary>
    public static WebApplication MapChatOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Created now rather than at first use, so that the first scrape already lists every chat metric.
        app.Services.GetRequiredService<ChatMetrics>();

        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapMetrics();
        return app;
    }
}
