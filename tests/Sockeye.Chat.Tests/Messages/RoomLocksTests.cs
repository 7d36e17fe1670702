using Sockeye.Chat.Messages;

namespace Sockeye.Chat.Tests.Messages;

public sealed class RoomLocksTests
{
    [Fact]
    public async Task Writers_of_one_room_take_turns()
    {
        var locks = new RoomLocks();
        var first = await locks.AcquireAsync("chat", CancellationToken.None);

        var second = locks.AcquireAsync("chat", CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task Writers_of_other_rooms_do_not_wait()
    {
        var locks = new RoomLocks();
        using var chat = await locks.AcquireAsync("chat", CancellationToken.None);

        var other = locks.AcquireAsync("other", CancellationToken.None);

        Assert.True(other.IsCompleted);
        (await other).Dispose();
    }

    [Fact]
    public async Task A_room_is_forgotten_once_nobody_holds_or_waits_for_it()
    {
        var locks = new RoomLocks();
        var held = await locks.AcquireAsync("chat", CancellationToken.None);
        var waiting = locks.AcquireAsync("chat", CancellationToken.None).AsTask();
        Assert.Equal(1, locks.Count);

        held.Dispose();
        (await waiting).Dispose();

        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_no_trace()
    {
        var locks = new RoomLocks();
        var held = await locks.AcquireAsync("chat", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = locks.AcquireAsync("chat", cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, locks.Count);
        (await locks.AcquireAsync("chat", CancellationToken.None)).Dispose();
    }
}
