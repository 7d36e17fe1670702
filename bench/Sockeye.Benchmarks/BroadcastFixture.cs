using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sockeye.Adapters;
using Sockeye.Diagnostics;
using Sockeye.Engine;

namespace Sockeye.Benchmarks;

/// <summary>
/// A real <see cref="SocketIOServer"/> with connected sockets, built without HTTP: each socket goes through the same
/// <see cref="SocketClient"/> and namespace connection path as a client that sent <c>40</c>, minus the transport.
/// </summary>
internal sealed class BroadcastFixture : IDisposable
{
    private readonly ServiceProvider _services;

    private BroadcastFixture(ServiceProvider services, SocketIOServer server, EngineSocket[] sessions)
    {
        _services = services;
        Server = server;
        Sessions = sessions;
    }

    public SocketIOServer Server { get; }

    /// <summary>
    /// The Engine.IO sessions, on the polling transport with no request waiting: every packet sent stays queued until
    /// <see cref="Drain"/> serves a poll.
    /// </summary>
    public EngineSocket[] Sessions { get; }

    /// <summary>Creates a server whose main namespace has <paramref name="sockets"/> sockets, all in <paramref name="room"/>.</summary>
    public static BroadcastFixture Create(int sockets, string room)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSocketIO(options =>
            {
                // Queues are drained only between iterations, so the bound must not close sessions mid-run; the
                // benchmark bounds queue length instead (see BroadcastBenchmarks).
                options.MaxOutboundPackets = int.MaxValue;
            })
            .Services
            .BuildServiceProvider();
        var server = services.GetRequiredService<SocketIOServer>();
        server.OnConnection(socket => socket.Join(room));

        var engine = new EngineServer(
            server.Options,
            static _ => { },
            NullLogger.Instance,
            services.GetRequiredService<EngineMetrics>(),
            TimeProvider.System,
            corsService: null);

        // The handshake is an immutable snapshot, so one can stand for every session.
        var handshake = new EngineHandshake(new DefaultHttpContext(), TimeProvider.System.GetUtcNow());
        var sessions = new EngineSocket[sockets];
        for (var i = 0; i < sockets; i++)
        {
            var session = new EngineSocket(engine, "engine-" + i, handshake, webSocket: false);
            var client = new SocketClient(server, session);

            // Without middleware or asynchronous handlers this completes synchronously.
            server.Sockets.ConnectAsync(client, auth: null).GetAwaiter().GetResult();
            sessions[i] = session;
        }

        var members = ((InMemoryAdapter)server.Sockets.Adapter).GetRoomSize(room);
        if (members != sockets)
        {
            services.Dispose();
            throw new InvalidOperationException($"Expected {sockets} sockets in '{room}', found {members}.");
        }

        return new BroadcastFixture(services, server, sessions);
    }

    /// <summary>
    /// Serves one poll on every session, through the polling transport's own path, so that each queue is empty again
    /// and keeps the capacity it grew to, as a live session's queue does.
    /// </summary>
    public void Drain()
    {
        foreach (var session in Sessions)
        {
            var poll = new DefaultHttpContext();
            poll.Response.Body = Stream.Null;
            session.HandlePollAsync(poll).GetAwaiter().GetResult();
        }
    }

    public void Dispose() => _services.Dispose();
}
