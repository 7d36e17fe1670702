using System.Net;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>
/// Three instances sharing PostgreSQL and Redis behind nginx, all up: messages, de-duplication, presence, limits and
/// readiness across instances. Split by feature; every test uses rooms of its own.
/// </summary>
[Collection(ClusterCollectionDefinition.Name)]
public sealed partial class ChatClusterTests(ChatClusterFixture cluster) : IClassFixture<ChatClusterFixture>
{
    [Fact]
    public async Task Every_instance_is_ready_with_redis_reported_healthy()
    {
        foreach (var instance in cluster.Instances)
        {
            using var response = await instance.Http.GetAsync("/readyz");
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{instance.Name}: {body}");
            var checks = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("checks");
            Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
            Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Rate_limits_stay_per_connection_when_a_user_is_on_two_instances()
    {
        await using var clients = await ChatClients.StartAsync(cluster.A.BaseAddress);
        var token = await cluster.TokenAsync("rita");
        await clients.ConnectAsync("rita-a", token, url: cluster.A.BaseAddress);
        await clients.ConnectAsync("rita-b", token, url: cluster.B.BaseAddress);

        // More than the burst (10) at once: the connection on A runs out of tokens.
        var burst = await Task.WhenAll(Enumerable.Range(0, 15).Select(i =>
            clients.EmitWithAckAsync("rita-a", "chat_message", new { text = $"burst {i}" })));
        Assert.Contains(burst, ack => ack.TryGetProperty("error", out var error) && error.GetProperty("code").ValueEquals("RATE_LIMITED"));

        var other = await clients.EmitWithAckAsync("rita-b", "chat_message", new { text = "from the other tab" });
        Assert.False(other.TryGetProperty("error", out _), other.ToString());
    }
}
