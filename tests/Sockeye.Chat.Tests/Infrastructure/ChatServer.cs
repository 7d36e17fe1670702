using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sockeye.Chat.Messages;

namespace Sockeye.Chat.Tests.Infrastructure;

/// <summary>The real chat service on a free loopback port, with its own data folder.</summary>
public sealed class ChatServer : IAsyncDisposable
{
    private ChatServer(WebApplication app, Uri baseAddress, string dataDirectory, string signingKey)
    {
        App = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        SigningKey = signingKey;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public string SigningKey { get; }

    public HttpClient Http { get; }

    private bool OwnsDataDirectory { get; init; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts the service. <paramref name="settings"/> are environment-style keys (DATABASE_URL, RATE_LIMIT_BURST, ...).</summary>
    public static async Task<ChatServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? dataDirectory = null, ILoggerProvider? logSink = null)
    {
        var ownsDataDirectory = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("sockeye-chat-").FullName;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var values = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["DATA_DIR"] = dataDirectory,
            ["DEV_LOGIN"] = "true",
            ["JWT_SIGNING_KEY"] = key,
            ["LOG_FORMAT"] = "text",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            values[name] = value;
        }

        var app = ChatApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            if (logSink is not null)
            {
                builder.Logging.AddProvider(logSink);
            }
        });
        await app.Services.MigrateChatDatabaseAsync();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ChatServer(app, new Uri(address), dataDirectory, values["JWT_SIGNING_KEY"]!) { OwnsDataDirectory = ownsDataDirectory };
    }

    /// <summary>Logs in through the development endpoint and returns the token.</summary>
    public async Task<string> TokenAsync(string username)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/token", new { username });
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("token").GetString()!;
    }

    public IMessageStore Store => Services.GetRequiredService<IMessageStore>();

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by the test.
        }

        await App.DisposeAsync();
        if (OwnsDataDirectory)
        {
            // SQLite may still hold the file for a moment on some systems; a leftover temp folder is harmless.
            try
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
