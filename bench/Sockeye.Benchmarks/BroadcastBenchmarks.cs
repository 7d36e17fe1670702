using BenchmarkDotNet.Attributes;

namespace Sockeye.Benchmarks;

/// <summary>
/// <c>io.To("room").EmitAsync(...)</c> through the real server, adapter and Engine.IO queues, to N local sockets in one
/// room. The number to watch is the allocation per broadcast: the packet is encoded once and the same frames are
/// queued on every recipient, so it must not grow with N.
/// </summary>
/// <remarks>
/// A live session's queue grows to the most packets it ever held at once and keeps that capacity, so in steady state
/// queueing allocates nothing; a fresh one grows while it fills. To measure the steady state, the server is rebuilt
/// before every iteration, every queue is filled with one iteration's worth of broadcasts and drained by a poll
/// (<see cref="BroadcastFixture.Drain"/>), and then the iteration runs the same fixed, small number of broadcasts
/// (<see cref="BroadcastsPerIteration"/>). The allocation figure is therefore the broadcast's own, not the queues'. The
/// price is a short iteration, so timings for a single recipient are noisier than the allocation figure. A new server
/// also builds its serializer metadata on first use, which the warm-up broadcasts take care of.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(BroadcastsPerIteration, unrollFactor: 1)]
public class BroadcastBenchmarks
{
    public const int BroadcastsPerIteration = 30;
    private const string Room = "room";

    private readonly ChatMessage _payload = new("hello", "chat");
    private BroadcastFixture? _fixture;
    private SocketIOServer _io = null!;
    private BroadcastOperator _toRoom = null!;
    private object?[] _args = [];

    [Params(1, 100, 10_000)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void CheckDelivery()
    {
        // One broadcast must reach every socket exactly once: CONNECT plus the event in each queue.
        using var fixture = BroadcastFixture.Create(Recipients, Room);
        fixture.Server.To(Room).EmitAsync("message", _payload).AsTask().GetAwaiter().GetResult();
        if (fixture.Sessions.Any(session => session.QueuedPackets != 2 || !session.IsOpen))
        {
            throw new InvalidOperationException("The broadcast did not reach every socket exactly once.");
        }
    }

    [IterationSetup]
    public void BuildServer()
    {
        _fixture = BroadcastFixture.Create(Recipients, Room);
        _io = _fixture.Server;
        _toRoom = _io.To(Room);
        _args = [_payload];
        for (var i = 0; i < BroadcastsPerIteration; i++)
        {
            _toRoom.EmitAsync("message", _args).AsTask().GetAwaiter().GetResult();
        }

        _fixture.Drain();
    }

    [IterationCleanup]
    public void DropServer()
    {
        _fixture?.Dispose();
        _fixture = null;
    }

    /// <summary>The application's call as written: operator, argument array and packet are created per broadcast.</summary>
    [Benchmark]
    public ValueTask Emit_to_room() => _io.To(Room).EmitAsync("message", _payload);

    /// <summary>The same broadcast with the operator and the argument array kept: what remains is the server's cost.</summary>
    [Benchmark]
    public ValueTask Emit_to_room_reused_operator() => _toRoom.EmitAsync("message", _args);
}
