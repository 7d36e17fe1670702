using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Sockeye.Chat.Tests.Infrastructure;

/// <summary>
/// A real nginx (Debian's package) running <c>deploy/nginx.conf</c> in a temporary folder, with only what cannot be
/// the same on a test machine changed: the upstream addresses (the chat instances' loopback ports), the listen address
/// (a free loopback port), one worker, file paths in the folder, and a response header naming the upstream that
/// answered, so that a test knows where a client address is sent. Stopped on dispose.
/// </summary>
public sealed partial class NginxServer : IAsyncDisposable
{
    /// <summary>The header the test configuration adds: the upstream address (<c>127.0.0.1:port</c>) that answered.</summary>
    public const string UpstreamHeader = "X-Upstream-Addr";

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private NginxServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>nginx's output and error log, for failure messages.</summary>
    public string Log
    {
        get
        {
            var errors = Path.Combine(_folder, "error.log");
            lock (_output)
            {
                return _output + (File.Exists(errors) ? File.ReadAllText(errors) : string.Empty);
            }
        }
    }

    /// <summary>Starts nginx in front of the given loopback ports, in their order in place of chat1, chat2, chat3.</summary>
    public static async Task<NginxServer> StartAsync(IReadOnlyList<int> upstreamPorts)
    {
        ArgumentNullException.ThrowIfNull(upstreamPorts);
        var binary = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed (apt-get install nginx; scripts/test.sh does it).");
        var folder = Directory.CreateTempSubdirectory("sockeye-nginx-").FullName;

        // Workers run as an unprivileged user when nginx starts as root: they must reach the temporary paths inside.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        // A free port can be taken between the probe and the start: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, TestConfiguration(await File.ReadAllTextAsync(DeploymentConfiguration), folder, port, upstreamPorts));
            var start = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-p", folder + "/", "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", $"daemon off; pid {Path.Combine(folder, "nginx.pid")};" })
            {
                start.ArgumentList.Add(argument);
            }

            var nginx = new NginxServer(Process.Start(start)!, folder, port);
            try
            {
                await nginx.WaitUntilListeningAsync(TimeSpan.FromSeconds(15));
                return nginx;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await nginx.StopAsync();
            }
        }
    }

    /// <summary>deploy/nginx.conf in the repository the tests run from.</summary>
    public static string DeploymentConfiguration
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "deploy", "nginx.conf");
                if (File.Exists(Path.Combine(dir.FullName, "Sockeye.slnx")) && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("deploy/nginx.conf not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The deployment configuration with the test machine's addresses and paths.</summary>
    public static string TestConfiguration(string deployment, string folder, int port, IReadOnlyList<int> upstreamPorts)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(upstreamPorts);
        var next = 0;
        var config = UpstreamServer().Replace(deployment, match => next < upstreamPorts.Count
            ? $"server 127.0.0.1:{upstreamPorts[next++].ToString(CultureInfo.InvariantCulture)}"
            : throw new InvalidOperationException("deploy/nginx.conf names more upstream servers than there are instances."));
        if (next != upstreamPorts.Count)
        {
            throw new InvalidOperationException($"deploy/nginx.conf names {next} upstream servers, not {upstreamPorts.Count}.");
        }

        config = Replace(config, "listen 80;", $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};");
        config = Replace(config, "worker_processes auto;", "worker_processes 1;");
        return Replace(config, "http {", $$"""
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                add_header {{UpstreamHeader}} $upstream_addr always;
            """);
    }

    /// <summary>
    /// The upstream port nginx sends a client connecting from <paramref name="localAddress"/> (a 127.x.y.z address) to,
    /// found with a request from that address.
    /// </summary>
    public async Task<int> UpstreamPortForAsync(IPAddress localAddress)
    {
        using var http = LoopbackHttp.From(localAddress);
        using var response = await http.GetAsync(new Uri(BaseAddress, "/healthz"));
        response.EnsureSuccessStatusCode();
        var upstream = response.Headers.GetValues(UpstreamHeader).Single();
        return int.Parse(upstream[(upstream.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }

    private async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        // SIGTERM: the master stops its workers and exits; only if it does not, everything is killed.
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"nginx did not listen on {Port} within {timeout.TotalSeconds} s:\n{Log}");
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

    private static string Replace(string config, string directive, string replacement) =>
        config.Contains(directive, StringComparison.Ordinal)
            ? config.Replace(directive, replacement, StringComparison.Ordinal)
            : throw new InvalidOperationException($"deploy/nginx.conf no longer contains '{directive}'.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"server\s+chat\d+:\d+")]
    private static partial Regex UpstreamServer();
}

/// <summary>HTTP from a chosen loopback source address (any of 127.0.0.0/8), as if from another client machine.</summary>
public static class LoopbackHttp
{
    public static HttpClient From(IPAddress localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
