using System.Text.Json.Nodes;

namespace Sockeye.Redis.TestNode;

/// <summary>One JSON object per stdout line; lines are written whole, from any thread.</summary>
internal static class Output
{
    private static readonly Lock s_lock = new();

    public static void Write(string eventName, JsonObject fields)
    {
        fields["event"] = eventName;
        var line = fields.ToJsonString();
        lock (s_lock)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
