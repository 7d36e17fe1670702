using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sockeye.Adapters;
using Sockeye.Recovery;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Recovery;

/// <summary>Restores over the raw protocol: what a recovered client receives, in which order, and how outcomes are counted.</summary>
public sealed class RecoveryRestoreTests
{
    [Fact]
    public async Task Packets_emitted_while_the_missed_ones_are_read_arrive_once_after_the_replay_and_before_the_connect_reply()
    {
        EmittingStore? store = null;
        await using var host = await TestHost.StartAsync(
            services =>
            {
                services.AddSingleton<IConnectionStateStore>(sp => store = new EmittingStore(
                    ActivatorUtilities.CreateInstance<InMemoryConnectionStateStore>(sp),
                    () => sp.GetRequiredService<SocketIOServer>()));
                services.AddSocketIO(o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions());
            },
            app => app.MapSocketIO(io => io.OnConnection(s => s.Join("r"))));
        var io = host.Io();
        var (pid, offset) = await ConnectAndLoseTransportAsync(host, async () => await io.To("r").EmitAsync("tick", 1));
        await io.To("r").EmitAsync("tick", 2);

        store!.EmitDuringRead = true;
        await using var client = await RawSocketIOClient.OpenAsync(host);
        await client.SendAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");

        // 3 was appended before the read and delivered live too; 4 after the read, live only.
        var received = new List<string>();
        string packet;
        while (!(packet = await client.ReceiveAsync()).StartsWith('0'))
        {
            received.Add(JsonDocument.Parse(packet[1..]).RootElement[1].GetRawText());
        }

        Assert.Equal(["2", "3", "4"], received);
        Assert.Equal(pid, JsonDocument.Parse(packet[1..]).RootElement.GetProperty("pid").GetString());
    }

    [Fact]
    public async Task A_recovered_socket_drops_live_packets_it_already_has_until_a_newer_one_arrives()
    {
        await using var host = await SocketIOTestServer.StartAsync(_ => { }, o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions());
        var io = host.Io();
        var (pid, offset) = await ConnectAndLoseTransportAsync(host, () => io.EmitAsync("tick", 1));
        await using var client = await RawSocketIOClient.OpenAsync(host);
        await client.SendAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        Assert.StartsWith("0", await client.ReceiveAsync());

        // As a server behind the others in delivering a shared log would: the packet the client saw last, again.
        await io.Sockets.Adapter.BroadcastAsync(new BroadcastPacket("/", "tick", [1, offset], null, io.JsonOptions), BroadcastOptions.Everyone);
        await io.EmitAsync("tick", 2);

        Assert.StartsWith("2[\"tick\",2,", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_recovered_socket_has_its_data_back_before_the_middleware_which_may_overwrite_it()
    {
        var seen = new ConcurrentQueue<string>();
        await using var host = await SocketIOTestServer.StartAsync(
            io =>
            {
                io.Use(async (socket, next) =>
                {
                    seen.Enqueue($"{socket.Recovered}:{socket.Data.GetValueOrDefault("user")}");
                    socket.Data["user"] = "from-middleware";
                    await next();
                });
                io.OnConnection(s => s.Data["kept"] = 42);
            },
            o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions { SkipMiddlewares = false });
        var io = host.Io();
        var (pid, offset) = await ConnectAndLoseTransportAsync(host, () => io.EmitAsync("tick", 1));

        await using var client = await RawSocketIOClient.OpenAsync(host);
        await client.SendAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        await client.ReceiveAsync();

        Assert.Equal(["False:", "True:from-middleware"], seen);
        var socket = Assert.Single(io.Sockets.Sockets.Values);
        Assert.Equal(42, socket.Data["kept"]);
    }

    [Fact]
    public async Task Recoveries_are_counted_by_outcome()
    {
        var outcomes = new ConcurrentQueue<string>();
        object? scope = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "sockeye.recoveries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, Volatile.Read(ref scope)))
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome")
                    {
                        outcomes.Enqueue((string)tag.Value!);
                    }
                }
            }
        });
        listener.Start();
        await using var host = await SocketIOTestServer.StartAsync(_ => { }, o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions());
        Volatile.Write(ref scope, host.Services.GetService(typeof(IMeterFactory)));
        var io = host.Io();

        var (pid, _) = await ConnectAndLoseTransportAsync(host, () => io.EmitAsync("tick", 1));
        await ReconnectAsync(host, "unknown", "whatever");
        await ReconnectAsync(host, pid, "not-an-offset");
        (pid, var offset) = await ConnectAndLoseTransportAsync(host, () => io.EmitAsync("tick", 2));
        await ReconnectAsync(host, pid, offset);

        Assert.Equal(["unknown_session", "offset_not_kept", "recovered"], outcomes);
    }

    [Fact]
    public async Task The_in_memory_store_forgets_offsets_beyond_its_count_bound()
    {
        var options = Options.Create(new SocketIOOptions { ConnectionStateRecovery = new ConnectionStateRecoveryOptions { MaxPackets = 3 } });
        var store = new InMemoryConnectionStateStore(options, TimeProvider.System);
        var everyone = BroadcastOptions.Everyone;
        var first = await store.AppendAsync("/", "e", [1], everyone);
        var second = await store.AppendAsync("/", "e", [2], everyone);
        await store.SaveSessionAsync(new RecoverySession("p", "s", "/", ["s"], new Dictionary<string, object?>(), DateTimeOffset.UtcNow));

        Assert.Equal([2], (await store.ReadAfterAsync("/", first, ["s"]))!.Select(p => (int)p.Args[0]!));
        await store.AppendAsync("/", "e", [3], everyone);
        await store.AppendAsync("/", "e", [4], everyone);

        Assert.Null(await store.ReadAfterAsync("/", first, ["s"]));
        Assert.Equal([3, 4], (await store.ReadAfterAsync("/", second, ["s"]))!.Select(p => (int)p.Args[0]!));
        Assert.Equal(RecoveryFailure.OffsetNotKept, (await store.RestoreAsync("/", "p", first)).Failure);
        Assert.Equal(RecoveryFailure.UnknownSession, (await store.RestoreAsync("/", "p", second)).Failure);
    }

    /// <summary>Connects, receives one packet from <paramref name="emit"/> and loses the transport; returns the pid and the offset.</summary>
    private static async Task<(string Pid, string Offset)> ConnectAndLoseTransportAsync(TestHost host, Func<ValueTask> emit)
    {
        var io = host.Io();
        var client = await RawSocketIOClient.OpenAsync(host);
        await client.SendAsync("0");
        var pid = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement.GetProperty("pid").GetString()!;
        await emit();
        var packet = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;
        client.WebSocket.Abort();
        await client.DisposeAsync();
        await Eventually.TrueAsync(() => io.Sockets.Sockets.Count == 0, "the server never saw the transport die");
        return (pid, packet[packet.GetArrayLength() - 1].GetString()!);
    }

    private static async Task ReconnectAsync(TestHost host, string pid, string offset)
    {
        await using var client = await RawSocketIOClient.OpenAsync(host);
        await client.SendAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        while (!(await client.ReceiveAsync()).StartsWith('0'))
        {
        }

        client.WebSocket.Abort();
        await Eventually.TrueAsync(() => host.Io().Sockets.Sockets.Count == 0, "the server never saw the transport die");
    }

    /// <summary>The in-memory store, with a broadcast to room r just before and just after the read of missed packets.</summary>
    private sealed class EmittingStore(IConnectionStateStore inner, Func<SocketIOServer> io) : IConnectionStateStore
    {
        public bool EmitDuringRead { get; set; }

        public ValueTask<string> AppendAsync(string nsp, string eventName, IReadOnlyList<object?> args, BroadcastOptions options) =>
            inner.AppendAsync(nsp, eventName, args, options);

        public ValueTask SaveSessionAsync(RecoverySession session) => inner.SaveSessionAsync(session);

        public ValueTask<RestoreResult> RestoreAsync(string nsp, string pid, string offset) => inner.RestoreAsync(nsp, pid, offset);

        public async ValueTask<IReadOnlyList<StoredPacket>?> ReadAfterAsync(string nsp, string offset, IReadOnlyList<string> rooms)
        {
            if (EmitDuringRead)
            {
                await io().To("r").EmitAsync("tick", 3);
            }

            var missed = await inner.ReadAfterAsync(nsp, offset, rooms);
            if (EmitDuringRead)
            {
                await io().To("r").EmitAsync("tick", 4);
            }

            return missed;
        }
    }
}
