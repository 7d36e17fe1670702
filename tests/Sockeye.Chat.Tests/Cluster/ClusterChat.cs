using System.Text.Json;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>What the cluster tests do with clients: join, send, exchange messages, and look at what arrived.</summary>
internal static class ClusterChat
{
    public static async Task JoinAsync(this ChatClients clients, string name, string room)
    {
        var ack = await clients.EmitWithAckAsync(name, "join_room", new { room });
        Assert.True(ack.TryGetProperty("ok", out _), $"{name} could not join {room}: {ack}");
    }

    /// <summary>Sends a message and returns the acknowledged record (failing on an error ack).</summary>
    public static async Task<JsonElement> SendAsync(this ChatClients clients, string name, string room, string text, Guid? messageId = null)
    {
        var ack = await clients.EmitWithAckAsync(name, "chat_message", new { text, room, message_id = messageId ?? Guid.NewGuid() });
        Assert.False(ack.TryGetProperty("error", out _), $"{name}'s message '{text}' was refused: {ack}");
        return ack;
    }

    /// <summary>The <c>new_message</c> records a client received in a room, in arrival order.</summary>
    public static IReadOnlyList<JsonElement> Messages(this ChatClients clients, string name, string room) =>
        [.. clients.AllReceived(name, "new_message").Select(args => args[0]).Where(m => m.GetProperty("room").ValueEquals(room))];

    /// <summary>Waits until a client received the message with this id.</summary>
    public static Task<JsonElement> ReceivedMessageAsync(this ChatClients clients, string name, JsonElement record, TimeSpan? timeout = null)
    {
        var id = record.GetProperty("id").GetInt64();
        return clients.WaitForAsync(
            l => l.GetProperty("event").ValueEquals("received") && l.GetProperty("name").ValueEquals(name)
                && l.GetProperty("type").ValueEquals("new_message") && l.GetProperty("args")[0].GetProperty("id").GetInt64() == id,
            $"{name} to receive message {id} ('{record.GetProperty("text").GetString()}')",
            timeout: timeout);
    }

    /// <summary>
    /// Every user sends <paramref name="count"/> messages to the room, then a last one as a fence; once each user has
    /// everyone else's fence (a room's messages from one sender arrive in order), each must have received every other
    /// user's messages exactly once and none of its own.
    /// </summary>
    public static async Task ExchangeAsync(this ChatClients clients, string room, IReadOnlyList<string> users, int count = 3)
    {
        var sent = users.ToDictionary(u => u, _ => new List<long>());
        for (var i = 0; i < count; i++)
        {
            foreach (var user in users)
            {
                sent[user].Add((await clients.SendAsync(user, room, $"{user} says {i}")).GetProperty("id").GetInt64());
            }
        }

        var fences = new Dictionary<string, JsonElement>();
        foreach (var user in users)
        {
            fences[user] = await clients.SendAsync(user, room, $"{user} is done");
            sent[user].Add(fences[user].GetProperty("id").GetInt64());
        }

        foreach (var receiver in users)
        {
            foreach (var sender in users.Where(u => u != receiver))
            {
                await clients.ReceivedMessageAsync(receiver, fences[sender]);
            }
        }

        foreach (var receiver in users)
        {
            var received = clients.Messages(receiver, room).Select(m => m.GetProperty("id").GetInt64()).ToList();
            var expected = users.Where(u => u != receiver).SelectMany(u => sent[u]).Order().ToList();
            Assert.Equal(expected, received.Order().ToList());
        }
    }
}
