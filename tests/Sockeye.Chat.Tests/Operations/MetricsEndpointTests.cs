using System.Globalization;
using System.Net;
using Sockeye.Chat.Tests.Api;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Operations;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format_with_chat_http_and_runtime_series()
    {
        await using var server = await ChatServer.StartAsync();
        await server.Store.SaveAsync("alice", "chat", "counted", null, CancellationToken.None);
        using (await server.GetAsync("/api/rooms/chat/messages", await server.TokenAsync("alice")))
        {
        }

        using var response = await server.Http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(samples, s => s.Name == "socketio_connections");
        Assert.Contains(samples, s => s.Name == "chat_messages_persisted_total" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "chat_persistence_seconds_bucket" && s.Labels.Contains("le=\"+Inf\"", StringComparison.Ordinal) && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "chat_persistence_seconds_count" && s.Value >= 1);

        // ASP.NET Core: prometheus-net's request metrics, and the framework's own meter through the meter adapter.
        Assert.Contains(samples, s => s.Name == "http_request_duration_seconds_count" && s.Labels.Contains("endpoint=\"/api/rooms/{room}/messages\"", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("microsoft_aspnetcore_hosting_http_server_", StringComparison.Ordinal));

        // The runtime.
        Assert.Contains(samples, s => s.Name == "process_cpu_seconds_total");
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var nameEnd = brace >= 0 && brace < space ? brace : line.IndexOf(' ', StringComparison.Ordinal);
            var labels = brace >= 0 && brace < space ? line[(brace + 1)..line.LastIndexOf('}')] : string.Empty;
            var value = line[(space + 1)..] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(line[..nameEnd], labels, value));
        }

        Assert.NotEmpty(samples);
        return samples;
    }

    private sealed record Sample(string Name, string Labels, double Value);
}
