using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Cluster;

public sealed partial class ChatClusterTests
{
    [Fact]
    public async Task Clients_connected_to_different_instances_receive_each_others_messages_exactly_once()
    {
        await using var clients = await ChatClients.StartAsync(cluster.A.BaseAddress);
        string[] users = ["ada", "bob", "cyd"];
        for (var i = 0; i < users.Length; i++)
        {
            await clients.ConnectAsync(users[i], await cluster.TokenAsync(users[i]), url: cluster.Instances[i].BaseAddress);
            await clients.JoinAsync(users[i], "direct");
        }

        await clients.ExchangeAsync("direct", users);
    }

    [Fact]
    public async Task Clients_sent_to_different_instances_by_nginx_receive_each_others_messages_exactly_once()
    {
        await using var clients = await ChatClients.StartAsync(cluster.Nginx.BaseAddress);
        string[] users = ["ann", "bea", "cal"];
        for (var i = 0; i < users.Length; i++)
        {
            var connected = await clients.ConnectAsync(users[i], await cluster.TokenAsync(users[i]), localAddress: cluster.AddressesFor(cluster.Instances[i])[0]);
            Assert.True(connected.GetProperty("event").ValueEquals("connected"), connected.ToString());
            await clients.JoinAsync(users[i], "proxied");
        }

        await clients.ExchangeAsync("proxied", users);
    }

    [Fact]
    public async Task A_message_is_stored_once_and_every_instance_serves_it_in_history()
    {
        await using var clients = await ChatClients.StartAsync(cluster.A.BaseAddress);
        await clients.ConnectAsync("hal", await cluster.TokenAsync("hal"), url: cluster.B.BaseAddress);
        await clients.JoinAsync("hal", "archive");
        var record = await clients.SendAsync("hal", "archive", "kept");

        var token = await cluster.TokenAsync("reader");
        foreach (var instance in cluster.Instances)
        {
            var page = await instance.GetJsonAsync("/api/rooms/archive/messages", token);
            var stored = Assert.Single(page.EnumerateArray());
            Assert.Equal(record.GetProperty("id").GetInt64(), stored.GetProperty("id").GetInt64());
        }
    }
}
