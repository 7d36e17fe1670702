using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sockeye.Redis.Tests.Infrastructure;

/// <summary>
/// A child process that prints one JSON object per stdout line and reads JSON commands on stdin: a Sockeye test node,
/// the Node test server, the client or emitter scripts. Every line is kept, so a test can wait for one that matches
/// (whenever it arrived) without sleeping.
/// </summary>
public sealed class LineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextRef;

    private LineProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        _reader = Task.Run(ReadAsync);
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public static LineProcess Start(string name, string fileName, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new LineProcess(Process.Start(info)!, name);
    }

    /// <summary>Waits for a line (already printed or still to come) that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        var seen = 0;
        while (true)
        {
            Task changed;
            lock (_lines)
            {
                changed = _changed.Task;
                for (; seen < _lines.Count; seen++)
                {
                    if (match(_lines[seen]))
                    {
                        return _lines[seen];
                    }
                }

                if (DateTime.UtcNow > deadline || _reader.IsCompleted)
                {
                    throw new TimeoutException($"{Name}: no line for '{what}'. Lines: {string.Join("\n", _lines.TakeLast(20))}\nstderr: {Stderr()}");
                }

            }

            try
            {
                await changed.WaitAsync(deadline - DateTime.UtcNow + TimeSpan.FromMilliseconds(1));
            }
            catch (TimeoutException)
            {
                // Checked above on the next pass.
            }
        }
    }

    /// <summary>Every line so far that matches.</summary>
    public IReadOnlyList<JsonElement> Lines(Func<JsonElement, bool> match)
    {
        lock (_lines)
        {
            return [.. _lines.Where(match)];
        }
    }

    public Task<JsonElement> WaitForEventAsync(string eventName, TimeSpan? timeout = null) =>
        WaitForAsync(l => l.Event() == eventName, eventName, timeout);

    /// <summary>A <c>ref</c> no other command of this process uses.</summary>
    public int NextRef() => Interlocked.Increment(ref _nextRef);

    /// <summary>Sends a command with a fresh <c>ref</c> and returns the line answering it (with the same <c>ref</c>).</summary>
    public async Task<JsonElement> RequestAsync(JsonObject command, TimeSpan? timeout = null)
    {
        var reference = NextRef();
        command["ref"] = reference;
        await SendAsync(command);
        return await WaitForAsync(l => l.TryGetProperty("ref", out var r) && r.ValueKind == JsonValueKind.Number && r.GetInt32() == reference, $"answer to {command.ToJsonString()}", timeout);
    }

    public async Task SendAsync(JsonObject command)
    {
        await _process.StandardInput.WriteLineAsync(command.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends a POSIX signal (<c>STOP</c> freezes the process as a hung server; <c>CONT</c> resumes it).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, _process.Id.ToString()])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills the process, as a crash would.</summary>
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
        await KillAsync();
        await _reader;
        _process.Dispose();
    }

    /// <summary>What the process wrote on stderr so far (the test node's logs).</summary>
    public string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith('{'))
                {
                    continue;
                }

                var element = JsonDocument.Parse(line).RootElement.Clone();
                lock (_lines)
                {
                    _lines.Add(element);
                    SignalLocked();
                }
            }
        }
        finally
        {
            lock (_lines)
            {
                SignalLocked();
            }
        }
    }

    private void SignalLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}

public static class JsonLineExtensions
{
    public static string? Event(this JsonElement line) => line.TryGetProperty("event", out var e) ? e.GetString() : null;

    public static string? Str(this JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
