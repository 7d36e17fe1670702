// An Engine.IO echo server started as a child process by the resource-exhaustion tests (tests/Sockeye.Tests/Hardening),
// so that a limit such as `ulimit -n` applies to it alone. Port from PORT; prints "listening" once it accepts connections.
using Sockeye;
using Sockeye.Engine;
using Sockeye.Protocol.EngineIO;

var builder = WebApplication.CreateSlimBuilder(args);
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 3000;
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddEngineIO();

var app = builder.Build();
app.MapEngineIO("/engine.io", socket => socket.MessageReceived += static (s, packet) =>
    s.Send(packet.IsBinary
        ? OutboundPacket.BinaryMessage(packet.Data.ToArray())
        : OutboundPacket.Text(EnginePacketType.Message, packet.Data.Span)));

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("listening"));
app.Run();
