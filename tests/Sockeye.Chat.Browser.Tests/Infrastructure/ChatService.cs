using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sockeye.Chat.Browser.Tests.Infrastructure;

/// <summary>
/// The real chat service, as the tests of <c>Sockeye.Chat.Tests</c> start it (free loopback port, its own data folder,
/// development login, a fixed signing key), but in a process of its own: a test can kill it and start it again on the
/// same port with the same database and key, as a crashed server comes back.
/// </summary>
/// <remarks>
/// It runs the <c>Sockeye.Chat.dll</c> built next to the tests, with <c>src/Sockeye.Chat</c> as the content root, so it
/// serves the client bundle the build put in <c>src/Sockeye.Chat/wwwroot</c>.
/// </remarks>
public sealed class ChatService : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private Process? _process;

    private ChatService(int port, string dataDirectory, Dictionary<string, string> environment)
    {
        Port = port;
        DataDirectory = dataDirectory;
        _environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    /// <summary>What the service wrote to stdout and stderr, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the service. <paramref name="settings"/> are its environment variables (RATE_LIMIT_BURST, ...).</summary>
    public static async Task<ChatService> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("sockeye-chat-browser-").FullName;
        var port = FreePort();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BIND_ADDRESS"] = "127.0.0.1",
            ["DATA_DIR"] = dataDirectory,
            ["DEV_LOGIN"] = "true",
            ["JWT_SIGNING_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["LOG_FORMAT"] = "text",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var service = new ChatService(port, dataDirectory, environment);
        await service.LaunchAsync();
        return service;
    }

    /// <summary>Kills the process at once: no drain, no goodbye to the clients, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the service again on the same port, with the same database and signing key.</summary>
    public Task RestartAsync() => LaunchAsync();

    /// <summary>Logs in through the development endpoint and returns the token.</summary>
    public async Task<string> TokenAsync(string username)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/token", new { username });
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("token").GetString()!;
    }

    /// <summary>Sends an admin alert through <c>POST /api/broadcast</c>.</summary>
    public async Task BroadcastAsync(string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/broadcast") { Content = JsonContent.Create(new { message }) };
        request.Headers.Authorization = new("Bearer", await TokenAsync("admin"));
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/broadcast answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The stored messages of a room with a given text, through <c>GET /api/rooms/{room}/messages</c>.</summary>
    public async Task<IReadOnlyList<JsonElement>> StoredMessagesAsync(string room, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/messages?limit=100");
        request.Headers.Authorization = new("Bearer", await TokenAsync("auditor"));
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.EnumerateArray().Where(m => m.GetProperty("text").GetString() == text)];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.ChatProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sockeye.Chat.dll"));
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("urls");
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process?.Dispose();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The chat service exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The chat service was not ready within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
