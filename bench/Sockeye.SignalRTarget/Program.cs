// The SignalR side of the benchmark: the same contract as a hub at /hub (JSON protocol; the load generator connects
// its WebSockets directly, without negotiation), on 127.0.0.1 at PORT. Clients.Group(room) includes the caller when
// it is in the group; the load generator's publishers never join it.
using Sockeye.Bench;

var builder = WebApplication.CreateSlimBuilder(args);
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 3000;
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.WebHost.UseBenchTransport();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSignalR();

var app = builder.Build();
app.MapMemoryEndpoint();
app.MapHub<BenchHub>("/hub");
app.Run();
