namespace Sockeye.Tests.Infrastructure;

/// <summary>
/// Waits for a condition that another thread makes true, checking it as often as the scheduler allows. Used only for
/// state that has no event to await (for example "the server has received the request").
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(2);
        }
    }
}
