// The floors of the benchmark: servers that speak just enough Engine.IO/Socket.IO for the echo and connect scenarios
// (open packet, CONNECT to "/", `42<id>["echo",...]` answered with `43<id>[...]` by copying bytes) and nothing more.
// They are not Socket.IO servers; they measure what the layers under one cost, so that a target that no server on
// those layers can reach shows as such (docs/performance.md). FLOOR_MODE picks the layer:
//   aspnet  — an ASP.NET Core endpoint with the WebSocket middleware: the stack MapSocketIO runs on;
//   kestrel — a Kestrel connection handler: sockets and pipes, no HTTP layer (the upgrade is parsed by hand).
// bench/floor-c/floor.c is the third floor: a C epoll loop, the cost of the system calls alone.
using Microsoft.AspNetCore.Connections;
using Sockeye.Bench;
using Sockeye.Bench.Floor;

var builder = WebApplication.CreateSlimBuilder(args);
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 3000;
var mode = Environment.GetEnvironmentVariable("FLOOR_MODE") ?? "aspnet";
builder.WebHost.UseBenchTransport();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
switch (mode)
{
    case "aspnet":
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        break;
    case "kestrel":
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, l => l.UseConnectionHandler<ConnectionFloor>()));
        break;
    default:
        Console.Error.WriteLine($"FLOOR_MODE must be aspnet or kestrel, not '{mode}'");
        return 2;
}

var app = builder.Build();
if (mode == "aspnet")
{
    app.MapMemoryEndpoint();
    app.MapAspNetFloor();
}

app.Run();
return 0;
