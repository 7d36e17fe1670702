using Microsoft.Extensions.Logging.Abstractions;
using Sockeye.Chat.Configuration;
using Sockeye.Chat.Operations;

namespace Sockeye.Chat.Tests.Operations;

public sealed class DrainOnShutdownServiceTests
{
    [Fact]
    public async Task Stopping_begins_the_drain_and_waits_for_the_messages_in_flight()
    {
        var drain = new DrainState();
        var service = new DrainOnShutdownService(drain, new ChatSettings { ShutdownTimeout = TimeSpan.FromSeconds(30) }, NullLogger<DrainOnShutdownService>.Instance);
        var inFlight = drain.Track();

        var stopping = service.StoppingAsync(CancellationToken.None);
        await Task.Delay(50);

        Assert.True(drain.IsDraining);
        Assert.False(stopping.IsCompleted);
        inFlight.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Stopping_gives_up_waiting_after_the_shutdown_timeout()
    {
        var drain = new DrainState();
        var service = new DrainOnShutdownService(drain, new ChatSettings { ShutdownTimeout = TimeSpan.FromMilliseconds(100) }, NullLogger<DrainOnShutdownService>.Instance);
        using var stuck = drain.Track();

        await service.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, drain.InFlight);
    }
}
