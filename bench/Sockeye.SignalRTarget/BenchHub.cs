using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace Sockeye.Bench;

/// <summary>The benchmark contract as hub methods.</summary>
internal sealed class BenchHub : Hub
{
    /// <summary>Returns its argument (the completion carries it back).</summary>
    /// <remarks>An instance method: SignalR only dispatches to instance methods of the hub.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "SignalR only dispatches to instance methods.")]
    public JsonElement Echo(JsonElement value) => value;

    /// <summary>Adds the caller to a group.</summary>
    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

    /// <summary>Sends <c>message</c> with the payload to every member of the group.</summary>
    public Task Publish(string room, JsonElement payload) => Clients.Group(room).SendAsync("message", payload);
}
