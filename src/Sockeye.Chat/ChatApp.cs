using Sockeye.Chat.Api;
using Sockeye.Chat.Auth;
using Sockeye.Chat.Cluster;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Messages;
using Sockeye.Chat.Operations;
using Sockeye.Chat.Realtime;

namespace Sockeye.Chat;

/// <summary>Composes the chat service; used by <c>Program</c> and by the tests, which start it on a free port.</summary>
public static class ChatApp
{
    /// <summary>Builds the application; <paramref name="configure"/> lets tests add configuration before it is read.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = ChatSettings.From(builder.Configuration, builder.Environment);
        Directory.CreateDirectory(settings.DataDirectory);
        builder.Services.AddSingleton(settings);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://{settings.BindAddress}:{settings.Port}");
        }

        builder.AddChatOperations(settings);
        builder.Services.AddChatPersistence(settings);
        builder.Services.AddChatAuth(settings);
        builder.Services.AddChatRealtime(settings);
        builder.Services.AddChatApi(settings);
        builder.AddChatCluster(settings);

        var app = builder.Build();
        app.UseChatOperations();

        // The web client (ClientApp, bundled into wwwroot by the build). Bundle files have content hashes in their
        // names and never change; index.html must be revalidated so that a deployment reaches open browsers.
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                file.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
        });
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapChatOperations();
        app.MapChatApi();
        app.MapChatRealtime();

        // The client's own addresses (/rooms/{name}) load the client, which shows that room.
        app.MapFallbackToFile("rooms/{**room}", "index.html");
        return app;
    }
}
