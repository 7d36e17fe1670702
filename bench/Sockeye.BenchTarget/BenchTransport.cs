namespace Sockeye.Bench;

/// <summary>
/// How the .NET targets schedule socket I/O. With <c>BENCH_INLINE=1</c> (what <c>bench/run.sh</c> sets unless
/// <c>BENCH_KESTREL_INLINE=0</c>), Kestrel runs the application's continuations on the thread that completed the
/// socket operation instead of queueing them: together with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>
/// (one epoll thread per core), a frame is read, handled and answered on one thread, as in Node's event loop. It suits
/// servers whose handlers never block a thread (see docs/performance.md).
/// </summary>
internal static class BenchTransport
{
    public static void UseBenchTransport(this IWebHostBuilder builder)
    {
        if (Environment.GetEnvironmentVariable("BENCH_INLINE") == "1")
        {
            builder.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }
    }
}
