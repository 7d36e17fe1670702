using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Hardening;

/// <summary>
/// A server that runs out of file descriptors must refuse or close the extra connections, keep its open sessions and
/// recover once descriptors are free again, as Node does. The server runs in a child process under <c>ulimit -n</c>.
/// </summary>
public sealed class DescriptorExhaustionTests
{
    // An idle server already holds about 170 descriptors (mostly the assemblies it maps), leaving room for a few hundred
    // sessions.
    private const int DescriptorLimit = 400;
    private const int Freed = 50;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task New_connections_fail_cleanly_when_descriptors_run_out_and_succeed_again_once_some_are_closed()
    {
        var port = FreePort();
        using var server = StartServer(port);
        var sessions = new List<ClientWebSocket>();
        try
        {
            await WaitUntilListeningAsync(server);
            var first = await ConnectAsync(port) ?? throw new InvalidOperationException("the first session failed");

            // Open sessions until the server has no descriptor left for the next one.
            var refused = 0;
            for (var i = 0; i < DescriptorLimit * 2 && refused < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                var session = await ConnectAsync(port);
                Assert.True(watch.Elapsed < AttemptTimeout * 2, $"connection attempt {i} took {watch.Elapsed}");
                if (session is null)
                {
                    refused++;
                }
                else
                {
                    sessions.Add(session);
                }
            }

            Assert.True(refused > 0, $"{sessions.Count} sessions opened under ulimit -n {DescriptorLimit} and none was refused");
            Assert.False(server.HasExited, $"the server exited with {(server.HasExited ? server.ExitCode : 0)}: {Output(server)}");

            // The session opened before the exhaustion still works.
            await AssertEchoesAsync(server, first, "4still here");

            // Free some descriptors: new sessions are accepted again.
            Assert.True(sessions.Count > Freed, $"only {sessions.Count} sessions opened before the first refusal");
            foreach (var session in sessions.Take(Freed))
            {
                session.Abort();
                session.Dispose();
            }

            sessions.RemoveRange(0, Freed);
            ClientWebSocket? again = null;
            for (var attempt = 0; attempt < 20 && again is null; attempt++)
            {
                again = await ConnectAsync(port);
                if (again is null)
                {
                    await Task.Delay(250);
                }
            }

            Assert.NotNull(again);
            sessions.Add(again);
            await AssertEchoesAsync(server, again, "4recovered");
            await AssertEchoesAsync(server, first, "4still here");
            Assert.False(server.HasExited, Output(server));
            sessions.Add(first);
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Abort();
                session.Dispose();
            }

            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    private static async Task AssertEchoesAsync(Process server, ClientWebSocket session, string message)
    {
        try
        {
            await session.SendTextAsync(message);
            Assert.Equal(message, await session.ReceiveTextAsync());
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            await Task.Delay(500);
            var state = server.HasExited ? $"the server exited with {server.ExitCode}" : "the server is running";
            throw new InvalidOperationException($"no echo of {message} ({state}): {Output(server)}", ex);
        }
    }

    // An open session (the Engine.IO open packet received), or null when the server refused or closed the connection.
    private static async Task<ClientWebSocket?> ConnectAsync(int port)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(AttemptTimeout);
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/engine.io/?EIO=4&transport=websocket"), timeout.Token);
            var (type, data) = await socket.ReceiveMessageAsync(AttemptTimeout);
            if (type == WebSocketMessageType.Text && data is [(byte)'0', ..])
            {
                return socket;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or HttpRequestException)
        {
        }

        socket.Abort();
        socket.Dispose();
        return null;
    }

    private static Process StartServer(int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Sockeye.HardeningServer.dll");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n {DescriptorLimit} && exec dotnet \"{dll}\"");
        start.Environment["PORT"] = port.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => AppendOutput(process, e.Data);
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilListeningAsync(Process server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "listening")
            {
                // Keep draining stdout so that a chatty server never blocks on a full pipe.
                _ = Task.Run(async () =>
                {
                    while (await server.StandardOutput.ReadLineAsync() is { } more)
                    {
                        AppendOutput(server, more);
                    }
                });
                return;
            }

            AppendOutput(server, line);
        }

        throw new InvalidOperationException($"the server exited before listening: {Output(server)}");
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, System.Text.StringBuilder> Outputs = [];

    private static void AppendOutput(Process process, string? line)
    {
        if (line is null)
        {
            return;
        }

        var output = Outputs.GetOrCreateValue(process);
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Output(Process process)
    {
        var output = Outputs.GetOrCreateValue(process);
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
