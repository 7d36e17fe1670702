using System.Net;
using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>Redis is killed and started again (empty) while three instances serve their clients.</summary>
[Collection(ClusterCollectionDefinition.Name)]
public sealed class RedisRestartTests(ChatClusterFixture cluster) : IClassFixture<ChatClusterFixture>
{
    private const string Room = "chat";

    [Fact]
    public async Task After_a_Redis_restart_delivery_presence_and_deduplication_work_again_without_restarting_any_instance()
    {
        await using var clients = await ChatClients.StartAsync(cluster.A.BaseAddress);
        var token = await cluster.TokenAsync("xia");
        await clients.ConnectAsync("xia", token, url: cluster.A.BaseAddress);
        await clients.ConnectAsync("yan", await cluster.TokenAsync("yan"), url: cluster.B.BaseAddress);
        await clients.ConnectAsync("zed", await cluster.TokenAsync("zed"), localAddress: cluster.AddressesFor(cluster.C)[0]);
        await clients.ReceivedMessageAsync("yan", await clients.SendAsync("xia", Room, "before"));

        await cluster.Redis.StopAsync();
        var down = await cluster.A.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(15));
        Assert.Equal("Unhealthy", down.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        // During the outage messages are still stored and acknowledged (other instances' clients get them by sync),
        // and clients still connect; presence is counted by their instance alone.
        var storedDuringOutage = await clients.SendAsync("xia", Room, "during", Guid.NewGuid());
        await clients.ConnectAsync("wes", await cluster.B.TokenAsync("wes"), url: cluster.B.BaseAddress);

        await cluster.Redis.StartAsync();
        foreach (var instance in cluster.Instances)
        {
            await instance.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        }

        // Delivery across instances resumes: the adapters resubscribe by themselves.
        await WaitForDeliveryAsync(clients, "xia", "yan");
        var fromA = await clients.SendAsync("xia", Room, "from A after");
        var fromB = await clients.SendAsync("yan", Room, "from B after");
        await clients.ReceivedMessageAsync("yan", fromA);
        await clients.ReceivedMessageAsync("zed", fromA);
        await clients.ReceivedMessageAsync("xia", fromB);
        await clients.ReceivedMessageAsync("zed", fromB);

        // Redis came back empty: every instance writes its share of presence again, including what it counted alone.
        await WaitForAsync(
            async () => (await clients.EmitWithAckAsync("xia", "who", new { room = Room })).GetProperty("users").EnumerateArray().Select(u => u.GetString()).SequenceEqual(["wes", "xia", "yan", "zed"]),
            "who to list wes, xia, yan and zed again");

        // A retry of a message stored during the outage, on another instance: the database answers with the original.
        await clients.ConnectAsync("xia-c", token, url: cluster.C.BaseAddress);
        var retry = await clients.SendAsync("xia-c", Room, "during", Guid.Parse(storedDuringOutage.GetProperty("message_id").GetString()!));
        Assert.Equal(storedDuringOutage.ToString(), retry.ToString());

        // No client saw a message twice.
        foreach (var name in new[] { "wes", "xia", "yan", "zed" })
        {
            var received = clients.Messages(name, Room).Select(m => m.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(received.Count, received.Distinct().Count());
        }
    }

    /// <summary>Sends probes from one client until another receives one (the subscription is restored), bounded.</summary>
    private static async Task WaitForDeliveryAsync(ChatClients clients, string sender, string receiver)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var probe = 0; ; probe++)
        {
            var record = await clients.SendAsync(sender, Room, $"probe {probe}");
            try
            {
                await clients.ReceivedMessageAsync(receiver, record, TimeSpan.FromSeconds(1));
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // Not subscribed again yet.
            }
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(200);
        }
    }
}
