// The Sockeye side of the benchmark: the contract every target implements (echo, join, publish), on 127.0.0.1 at
// PORT, with the default options and a Release build. io.To(room) includes the sender when it is in the room; the
// load generator's publishers never join it.
using Sockeye.Bench;

var builder = WebApplication.CreateSlimBuilder(args);
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 3000;
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.WebHost.UseBenchTransport();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSocketIO();

var app = builder.Build();
app.MapMemoryEndpoint();
app.MapSocketIO(io => io.OnConnection(socket =>
{
    socket.On("echo", ctx => ctx.AckAsync(ctx.ToEchoArgs()));
    socket.On("join", ctx =>
    {
        socket.Join(ctx.GetArg<string>(0)!);
        return ctx.AckAsync();
    });
    socket.On("publish", async ctx =>
    {
        await io.To(ctx.GetArg<string>(0)!).EmitAsync("message", ctx.Args[1]);
        await ctx.AckAsync();
    });
}));

app.Run();
