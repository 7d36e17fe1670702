using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Conformance;

/// <summary>The conformance server starts as the official protocol suites expect it.</summary>
public sealed class ConformanceServerTests
{
    [Fact]
    public async Task Serves_engine_echo_and_socket_io_with_the_suites_settings()
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory.Replace("Sockeye.Tests", "Sockeye.ConformanceServer", StringComparison.Ordinal), "Sockeye.ConformanceServer.dll");
        Assert.True(File.Exists(dll), $"build the conformance server first: {dll}");
        var info = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var body = await RetryUntilListeningAsync(() => http.GetStringAsync("/engine.io/?EIO=4&transport=polling"));
            var open = JsonDocument.Parse(body.Split('\u001e')[0][1..]).RootElement;
            Assert.Equal(300, open.GetProperty("pingInterval").GetInt32());
            Assert.Equal(200, open.GetProperty("pingTimeout").GetInt32());
            Assert.Equal(1_000_000, open.GetProperty("maxPayload").GetInt32());

            // With the suites' 500 ms heartbeat a session outlives a slow test machine's pause only just: a session
            // that expired before the POST (400, unknown sid) is replaced by a new one, a few times at most.
            string? echoed = null;
            for (var attempt = 0; attempt < 5 && echoed is null; attempt++)
            {
                var sid = JsonDocument.Parse((await http.GetStringAsync("/engine.io/?EIO=4&transport=polling"))[1..]).RootElement.GetProperty("sid").GetString();
                using var post = await http.PostAsync($"/engine.io/?EIO=4&transport=polling&sid={sid}", new StringContent("4hello\u001ebAQID"));
                if (post.StatusCode == HttpStatusCode.OK)
                {
                    echoed = await http.GetStringAsync($"/engine.io/?EIO=4&transport=polling&sid={sid}");
                }
                else
                {
                    Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
                }
            }

            Assert.Equal("4hello\u001ebAQID", echoed);

            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/socket.io/?EIO=4&transport=polling");
            preflight.Headers.Add("Origin", "https://anywhere.example");
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            using var cors = await http.SendAsync(preflight);
            Assert.Equal("https://anywhere.example", cors.Headers.GetValues("Access-Control-Allow-Origin").Single());

            var handshake = await http.GetStringAsync("/socket.io/?EIO=4&transport=polling");
            var ioSid = JsonDocument.Parse(handshake[1..]).RootElement.GetProperty("sid").GetString();
            using var connect = await http.PostAsync($"/socket.io/?EIO=4&transport=polling&sid={ioSid}", new StringContent("40{\"token\":\"123\"}"));
            var packets = await http.GetStringAsync($"/socket.io/?EIO=4&transport=polling&sid={ioSid}");
            Assert.Matches("^40\\{\"sid\":\"[\\w-]{20}\"\\}\u001e42\\[\"auth\",\\{\"token\":\"123\"\\}\\]$", packets);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RetryUntilListeningAsync(Func<Task<string>> request)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await request();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet: the process is still starting.
                await Task.Delay(100);
            }
        }
    }
}
