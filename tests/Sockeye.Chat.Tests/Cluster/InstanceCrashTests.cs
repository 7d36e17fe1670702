using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>One instance of three is killed without a goodbye (SIGKILL) while its clients chat through nginx.</summary>
[Collection(ClusterCollectionDefinition.Name)]
public sealed class InstanceCrashTests(ChatClusterFixture cluster) : IClassFixture<ChatClusterFixture>
{
    private const string Room = "chat";

    [Fact]
    public async Task Clients_of_a_killed_instance_reconnect_through_nginx_keep_chatting_and_no_acknowledged_message_is_lost()
    {
        await using var clients = await ChatClients.StartAsync(cluster.Nginx.BaseAddress);
        var acknowledged = new List<JsonElement>();
        var victim = cluster.A;

        // Two clients that nginx sends to A, one each to B and C; all reconnect by themselves. dora is on A directly
        // and does not come back.
        (string Name, string Address)[] proxied =
        [
            ("ana", cluster.AddressesFor(victim)[0]),
            ("abe", cluster.AddressesFor(victim)[1]),
            ("ben", cluster.AddressesFor(cluster.B)[0]),
            ("cat", cluster.AddressesFor(cluster.C)[0]),
        ];
        foreach (var (name, address) in proxied)
        {
            await clients.ConnectAsync(name, await cluster.TokenAsync(name), reconnection: true, localAddress: address);
        }

        await clients.ConnectAsync("dora", await cluster.TokenAsync("dora"), url: victim.BaseAddress);
        foreach (var (name, _) in proxied)
        {
            acknowledged.Add(await clients.SendAsync(name, Room, $"{name} before"));
        }

        await clients.ReceivedMessageAsync("ana", acknowledged[^1]);

        // ana's last message may or may not be stored when A dies; its ack is lost either way.
        var inFlightId = Guid.NewGuid();
        var before = clients.Count;
        var inFlight = clients.EmitWithAckAsync("ana", "chat_message", new { text = "ana in flight", room = Room, message_id = inFlightId });
        await victim.KillAsync();

        foreach (var name in new[] { "ana", "abe" })
        {
            await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("disconnect") && l.GetProperty("name").ValueEquals(name), $"{name} to lose A", before);
            await clients.WaitForAsync(l => l.GetProperty("event").ValueEquals("connected") && l.GetProperty("name").ValueEquals(name), $"{name} to reconnect through nginx", before);
        }

        // As the web client's outbox does: the unacknowledged message is sent again with the same message_id.
        var retried = await clients.SendAsync("ana", Room, "ana in flight", inFlightId);
        acknowledged.Add(retried);
        var firstAck = await inFlight.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : default, TaskScheduler.Default);
        if (firstAck.ValueKind == JsonValueKind.Object && firstAck.TryGetProperty("id", out var firstId))
        {
            Assert.Equal(firstId.GetInt64(), retried.GetProperty("id").GetInt64());
        }

        // Everyone keeps chatting: messages from the survivors' new and old clients reach everyone else.
        var after = new Dictionary<string, JsonElement>();
        foreach (var (name, _) in proxied)
        {
            after[name] = await clients.SendAsync(name, Room, $"{name} after");
            acknowledged.Add(after[name]);
        }

        foreach (var (receiver, _) in proxied)
        {
            foreach (var (sender, _) in proxied.Where(p => p.Name != receiver))
            {
                await clients.ReceivedMessageAsync(receiver, after[sender]);
            }
        }

        // dora's only connection died with A: once A's heartbeat is overdue, the survivors say she left.
        await clients.ReceivedAsync("ben", "user_left", args => args[0].GetProperty("user_id").ValueEquals("dora"), before);
        var who = await clients.EmitWithAckAsync("ben", "who", new { room = Room });
        Assert.Equal(["abe", "ana", "ben", "cat"], who.GetProperty("users").EnumerateArray().Select(u => u.GetString()!));

        // Nothing acknowledged is missing from anyone's history, and nothing was stored twice.
        foreach (var (name, _) in proxied)
        {
            var sync = await clients.EmitWithAckAsync(name, "sync", new { room = Room, after = 0 });
            var history = sync.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(m => m.GetProperty("seq").GetInt64()));
            Assert.Single(history, m => m.GetProperty("message_id").ValueEquals(inFlightId.ToString()));
            var ids = history.Select(m => m.GetProperty("id").GetInt64()).ToHashSet();
            Assert.All(acknowledged, ack => Assert.Contains(ack.GetProperty("id").GetInt64(), ids));
        }

        // No client saw a message twice.
        foreach (var (name, _) in proxied)
        {
            var received = clients.Messages(name, Room).Select(m => m.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(received.Count, received.Distinct().Count());
        }
    }
}
