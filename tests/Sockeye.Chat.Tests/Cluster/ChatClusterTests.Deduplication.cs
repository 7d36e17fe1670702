using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sockeye.Chat.Tests.Cluster;

public sealed partial class ChatClusterTests
{
    [Fact]
    public async Task A_retry_that_lands_on_another_instance_is_answered_with_the_original_and_not_broadcast_again()
    {
        await using var clients = await ChatClients.StartAsync(cluster.A.BaseAddress);
        var token = await cluster.TokenAsync("ida");
        await clients.ConnectAsync("ida-a", token, url: cluster.A.BaseAddress);
        await clients.ConnectAsync("ida-b", token, url: cluster.B.BaseAddress);
        await clients.ConnectAsync("obs", await cluster.TokenAsync("obs"), url: cluster.C.BaseAddress);
        foreach (var name in new[] { "ida-a", "ida-b", "obs" })
        {
            await clients.JoinAsync(name, "retries");
        }

        var messageId = Guid.NewGuid();
        var original = await clients.SendAsync("ida-a", "retries", "only once", messageId);
        var retry = await clients.SendAsync("ida-b", "retries", "only once", messageId);

        Assert.Equal(original.ToString(), retry.ToString());
        await clients.ReceivedMessageAsync("obs", await clients.SendAsync("ida-a", "retries", "fence"));
        Assert.Single(clients.Messages("obs", "retries"), m => m.GetProperty("message_id").ValueEquals(messageId.ToString()));
        Assert.Single(clients.Messages("ida-b", "retries"), m => m.GetProperty("message_id").ValueEquals(messageId.ToString()));
        var page = await cluster.C.GetJsonAsync("/api/rooms/retries/messages", token);
        Assert.Single(page.EnumerateArray(), m => m.GetProperty("message_id").ValueEquals(messageId.ToString()));

        // The record the retry was answered with, kept in Redis for a day.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration);
        var remembered = await redis.GetDatabase().StringGetWithExpiryAsync($"sockeye-chat:dedup:{messageId:D}:ida");
        Assert.Equal(original.GetProperty("id").GetInt64(), JsonDocument.Parse((string)remembered.Value!).RootElement.GetProperty("id").GetInt64());
        Assert.InRange(remembered.Expiry!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task The_same_message_sent_to_two_instances_at_once_is_stored_and_broadcast_once()
    {
        await using var clients = await ChatClients.StartAsync(cluster.A.BaseAddress);
        var token = await cluster.TokenAsync("jon");
        await clients.ConnectAsync("jon-a", token, url: cluster.A.BaseAddress);
        await clients.ConnectAsync("jon-b", token, url: cluster.B.BaseAddress);
        await clients.ConnectAsync("obs", await cluster.TokenAsync("obs"), url: cluster.C.BaseAddress);
        foreach (var name in new[] { "jon-a", "jon-b", "obs" })
        {
            await clients.JoinAsync(name, "race");
        }

        for (var round = 0; round < 5; round++)
        {
            var messageId = Guid.NewGuid();
            var acks = await Task.WhenAll(
                clients.SendAsync("jon-a", "race", $"round {round}", messageId),
                clients.SendAsync("jon-b", "race", $"round {round}", messageId));

            Assert.Equal(acks[0].ToString(), acks[1].ToString());
        }

        await clients.ReceivedMessageAsync("obs", await clients.SendAsync("jon-a", "race", "fence"));
        var received = clients.Messages("obs", "race").Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(6, received.Count);
        Assert.Equal(received.Count, received.Distinct().Count());
        var page = await cluster.C.GetJsonAsync("/api/rooms/race/messages", token);
        Assert.Equal(6, page.GetArrayLength());
    }
}
