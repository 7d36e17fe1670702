// A Sockeye server on the Redis adapter for the multi-process tests. Usage:
//   Sockeye.Redis.TestNode <name> <redis configuration> [requests timeout ms] [sharded|classic] [recovery window ms]
// It listens on a free loopback port, prints {"event":"listening","port":N} once it is part of the cluster, then
// runs the JSON commands it reads on stdin (one per line, answered by a "result" line with the same "ref") and prints
// the server-side events it receives.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Sockeye;
using Sockeye.Redis;
using Sockeye.Redis.TestNode;

var name = args[0];
var redis = args[1];
var requestsTimeout = args.Length > 2 ? TimeSpan.FromMilliseconds(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(5);
var sharded = args.Length > 3 && args[3] == "sharded";

// With a recovery window: connection state recovery in Redis. Complete snapshots only every 5 s, so that the tests see
// sessions written when sockets connect or change rooms.
TimeSpan? recovery = args.Length > 4 ? TimeSpan.FromMilliseconds(int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)) : null;

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
var socketIO = builder.Services.AddSocketIO(o =>
    {
        o.DrainTimeout = TimeSpan.FromMilliseconds(200);
        if (recovery is { } window)
        {
            o.ConnectionStateRecovery = new() { MaxDisconnectionDuration = window };
        }
    })
    .AddRedisAdapter(redis, o =>
    {
        o.RequestsTimeout = requestsTimeout;
        o.Sharded = sharded;
    });
if (recovery is not null)
{
    socketIO.AddRedisConnectionStateStore(o => o.SnapshotInterval = TimeSpan.FromSeconds(5));
}

var app = builder.Build();
app.MapSocketIO(io => TestApp.Configure(io, name));
await app.StartAsync();

var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
var io = app.Services.GetRequiredService<SocketIOServer>();
var health = app.Services.GetRequiredService<RedisAdapterHealth>();
Output.Write("listening", new JsonObject { ["port"] = port, ["connected"] = health.IsConnected });

var commands = new Commands(io, health);
while (Console.In.ReadLine() is { } line)
{
    var command = JsonNode.Parse(line)!.AsObject();
    if (command["op"]?.GetValue<string>() == "exit")
    {
        break;
    }

    // Commands run concurrently; each answers with its "ref".
    _ = commands.RunAsync(command);
}

await app.StopAsync();
