// A small Socket.IO echo and room demo: open http://127.0.0.1:5000 in two tabs.
using Sockeye;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSocketIO(o => o.PingInterval = TimeSpan.FromSeconds(10));

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapSocketIO(io => io.OnConnection(async socket =>
{
    socket.Join("lobby");
    await socket.Broadcast.EmitAsync("joined", socket.Id);

    socket.On("echo", ctx => ctx.AckAsync(ctx.ToEchoArgs()));
    socket.On<string>("say", async text =>
    {
        await io.To("lobby").EmitAsync("said", new { from = socket.Id, text, at = DateTimeOffset.UtcNow });
    });
    socket.Disconnected += async (left, reason, description) => await io.To("lobby").EmitAsync("left", left.Id, reason);
}));

app.Run();
