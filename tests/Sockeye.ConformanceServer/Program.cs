// The server the official protocol test suites expect (socketio/engine.io-protocol and socketio/socket.io-protocol,
// "Test suite" sections): a raw Engine.IO echo endpoint at /engine.io/ and Socket.IO at /socket.io/, with
// pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1,000,000 and CORS for any origin. Port from PORT (default 3000).
using Sockeye;
using Sockeye.Engine;
using Sockeye.Protocol.EngineIO;

var builder = WebApplication.CreateSlimBuilder(args);
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 3000;
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

void Conformance(EngineOptions o)
{
    o.PingInterval = TimeSpan.FromMilliseconds(300);
    o.PingTimeout = TimeSpan.FromMilliseconds(200);
    o.MaxHttpBufferSize = 1_000_000;
    o.Cors = cors => cors.SetIsOriginAllowed(_ => true).AllowCredentials().AllowAnyHeader().AllowAnyMethod();
}

builder.Services.AddEngineIO(Conformance);
builder.Services.AddSocketIO(o =>
{
    Conformance(o);
    o.ConnectTimeout = TimeSpan.FromMilliseconds(1000);
});

var app = builder.Build();

app.MapEngineIO("/engine.io", socket => socket.MessageReceived += static (s, packet) =>
    s.Send(packet.IsBinary
        ? OutboundPacket.BinaryMessage(packet.Data.ToArray())
        : OutboundPacket.Text(EnginePacketType.Message, packet.Data.Span)));

app.MapSocketIO("/socket.io", io =>
{
    void Echo(Socket socket)
    {
        socket.Emit("auth", socket.Handshake.Auth);
        socket.On("message", ctx => { socket.Emit("message-back", ctx.ToEchoArgs()); });
        socket.On("message-with-ack", ctx => ctx.AckAsync(ctx.ToEchoArgs()));
    }

    io.OnConnection(Echo);
    io.Of("/custom").OnConnection(Echo);
});

app.Run();
