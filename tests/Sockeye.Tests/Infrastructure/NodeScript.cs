using System.Diagnostics;
using System.Text.Json;

namespace Sockeye.Tests.Infrastructure;

/// <summary>
/// A Node.js script from <c>tests/interop</c> running the official client against a test server. The script writes
/// one JSON object per line on stdout; the test reads them in order and can send commands on stdin.
/// </summary>
public sealed class NodeScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private NodeScript(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static string InteropDirectory { get; } = FindInteropDirectory();

    public static NodeScript Start(string script, params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(InteropDirectory, "node_modules")))
        {
            throw new InvalidOperationException($"{InteropDirectory}/node_modules is missing: run `npm ci` there (the test command does).");
        }

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new NodeScript(Process.Start(info)!);
    }

    /// <summary>Reads the next JSON line the script printed.</summary>
    public async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The script printed nothing in time. stderr: {await StderrSoFarAsync()}");
        }

        if (line is null)
        {
            await _process.WaitForExitAsync();
            throw new InvalidOperationException($"The script exited with {_process.ExitCode} before printing. stderr: {await _stderr}");
        }

        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Reads lines until one has the given <c>event</c> field; fails on an <c>error</c> line.</summary>
    public async Task<JsonElement> ExpectAsync(string eventName, TimeSpan? timeout = null)
    {
        while (true)
        {
            var line = await ReadAsync(timeout);
            var name = line.GetProperty("event").GetString();
            if (name == eventName)
            {
                return line;
            }

            if (name == "error")
            {
                Assert.Fail($"The script reported an error while waiting for '{eventName}': {line}");
            }
        }
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the script to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<string> StderrSoFarAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        return await _stderr;
    }

    private static string FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/interop not found above " + AppContext.BaseDirectory);
    }
}
