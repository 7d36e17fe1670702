using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Sockeye.Chat.Tests.Infrastructure;

/// <summary>
/// One chat instance in a process of its own (the <c>Sockeye.Chat.dll</c> built next to the tests) on a free loopback
/// port, configured only through environment variables as a deployment would be. A test can kill it without a goodbye.
/// </summary>
public sealed class ChatProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;

    private ChatProcess(string name, int port, Process process, string dataDirectory)
    {
        Name = name;
        Port = port;
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's id of the process: a restarted instance has another one.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the instance logged, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts an instance and waits until <c>/readyz</c> answers 200.</summary>
    public static async Task<ChatProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // A free port can be taken between the probe and the start: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var instance = Launch(name, FreePort(), environment);
            try
            {
                await instance.WaitUntilReadyAsync(StartTimeout);
                return instance;
            }
            catch (InvalidOperationException) when (attempt < 3 && instance.HasExited)
            {
                await instance.DisposeAsync();
            }
            catch
            {
                await instance.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Waits until <c>/readyz</c> answers 200.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout) => WaitForReadinessAsync(HttpStatusCode.OK, timeout);

    /// <summary>Polls <c>/readyz</c> until it answers <paramref name="status"/>; returns the body.</summary>
    public async Task<JsonElement> WaitForReadinessAsync(HttpStatusCode status, TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Chat instance {Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/readyz");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == status)
                {
                    return JsonDocument.Parse(body).RootElement.Clone();
                }

                last = $"{(int)response.StatusCode} {body}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Chat instance {Name}: /readyz did not answer {(int)status} within {timeout.TotalSeconds} s (last: {last}):\n{Output}");
    }

    /// <summary>Logs in through the development endpoint and returns the token.</summary>
    public async Task<string> TokenAsync(string username)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/token", new { username });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>An authenticated GET; the body as JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Kills the process at once (SIGKILL): no drain, no goodbye to clients or to Redis.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }

    private static ChatProcess Launch(string name, int port, IReadOnlyDictionary<string, string> environment)
    {
        var dataDirectory = Directory.CreateTempSubdirectory($"sockeye-chat-{name}-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sockeye.Chat.dll"));
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DATA_DIR"] = dataDirectory;
        start.Environment["LOG_FORMAT"] = "text";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ChatProcess(name, port, Process.Start(start)!, dataDirectory);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
