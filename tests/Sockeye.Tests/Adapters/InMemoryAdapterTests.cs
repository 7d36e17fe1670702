using Microsoft.Extensions.DependencyInjection;
using Sockeye.Adapters;

namespace Sockeye.Tests.Adapters;

public sealed class InMemoryAdapterTests
{
    private static InMemoryAdapter CreateAdapter()
    {
        var services = new ServiceCollection().AddLogging().AddSocketIO().Services.BuildServiceProvider();
        return (InMemoryAdapter)services.GetRequiredService<SocketIOServer>().Sockets.Adapter;
    }

    [Fact]
    public void Rooms_are_indexed_both_ways()
    {
        var adapter = CreateAdapter();

        adapter.AddAll("s1", ["a", "b"]);
        adapter.AddAll("s2", ["b"]);

        Assert.Equal(new[] { "a", "b" }, adapter.GetSocketRooms("s1").Order());
        Assert.Equal(1, adapter.GetRoomSize("a"));
        Assert.Equal(2, adapter.GetRoomSize("b"));
    }

    [Fact]
    public void Empty_rooms_are_removed()
    {
        var adapter = CreateAdapter();
        adapter.AddAll("s1", ["a", "b"]);

        adapter.Delete("s1", "a");
        Assert.Equal(["b"], adapter.GetRooms());

        adapter.DeleteAll("s1");
        Assert.Empty(adapter.GetRooms());
        Assert.Empty(adapter.GetSocketRooms("s1"));
    }

    [Fact]
    public async Task Concurrent_joins_leaves_and_disconnects_leave_both_indexes_consistent()
    {
        var adapter = CreateAdapter();
        const int Sockets = 64;
        const int Operations = 4000;
        var rooms = Enumerable.Range(0, 8).Select(i => $"room-{i}").ToArray();

        await Task.WhenAll(Enumerable.Range(0, Sockets).Select(s => Task.Run(() =>
        {
            var random = new Random(s);
            var id = $"socket-{s}";
            for (var i = 0; i < Operations; i++)
            {
                switch (random.Next(10))
                {
                    case < 5:
                        adapter.AddAll(id, [rooms[random.Next(rooms.Length)]]);
                        break;
                    case < 9:
                        adapter.Delete(id, rooms[random.Next(rooms.Length)]);
                        break;
                    default:
                        adapter.DeleteAll(id);
                        break;
                }
            }
        })));

        var memberships = 0;
        for (var s = 0; s < Sockets; s++)
        {
            foreach (var room in adapter.GetSocketRooms($"socket-{s}"))
            {
                Assert.Contains(room, adapter.GetRooms());
                memberships++;
            }
        }

        var roomSizes = adapter.GetRooms().Select(adapter.GetRoomSize).ToArray();
        Assert.All(roomSizes, size => Assert.True(size > 0, "an empty room was left in the index"));
        Assert.Equal(memberships, roomSizes.Sum());
    }
}
