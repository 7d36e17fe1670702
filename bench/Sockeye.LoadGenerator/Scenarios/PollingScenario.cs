using System.Diagnostics;
using System.Net;
using System.Text;
using Sockeye.LoadGenerator.Measurement;
using Sockeye.LoadGenerator.Transport;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>
/// <c>polling</c> (Socket.IO targets only): C sessions on HTTP long-polling, each in a closed echo loop (POST the
/// request, wait for the ack to arrive on the pending GET).
/// </summary>
internal static class PollingScenario
{
    public static async Task<string> RunAsync(TargetInfo target, CommandLine options)
    {
        var count = options.Int("connections", 20);
        var duration = TimeSpan.FromSeconds(options.Double("duration", 10));
        var warmup = TimeSpan.FromSeconds(options.Double("warmup", 3));
        ReadOnlyMemory<byte> payload = Encoding.ASCII.GetBytes(new string('x', options.Int("payload", 32)));
        var result = new ResultLine(target, options);
        if (target.Protocol != "socketio")
        {
            throw new ArgumentException("polling is a Socket.IO scenario.");
        }

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };

        var histogram = new LatencyHistogram();
        var recording = false;
        long acks = 0;
        var sessions = await Task.WhenAll(Enumerable.Range(0, count).Select(_ =>
            PollingSession.OpenAsync(http, target.BaseUri, static (session, _) => session.AckSignal.Release()))).ConfigureAwait(false);

        var stop = false;
        var loops = sessions.Select(async session =>
        {
            while (!Volatile.Read(ref stop))
            {
                var started = Stopwatch.GetTimestamp();
                await session.SendEchoAsync(++session.NextId, payload).ConfigureAwait(false);
                if (!await session.AckSignal.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false))
                {
                    break;
                }

                if (Volatile.Read(ref recording))
                {
                    histogram.Record(LatencyHistogram.MicrosSince(started));
                    Interlocked.Increment(ref acks);
                }
            }
        }).ToArray();

        await Task.Delay(warmup).ConfigureAwait(false);
        Volatile.Write(ref recording, true);
        var cpu = CpuWindow.Start(target.Pid);
        await Task.Delay(duration).ConfigureAwait(false);
        Volatile.Write(ref recording, false);
        cpu.Stop();
        var measured = Interlocked.Read(ref acks);
        Volatile.Write(ref stop, true);
        await Task.WhenAll(loops).ConfigureAwait(false);
        await Task.WhenAll(sessions.Select(s => s.CloseAsync())).ConfigureAwait(false);

        foreach (var session in sessions.Where(s => s.LostUnexpectedly))
        {
            await Console.Error.WriteLineAsync("polling session lost: " + session.LostReason).ConfigureAwait(false);
        }

        result.Add("acks_per_s", measured / cpu.WallSeconds)
            .AddLatency("echo", histogram)
            .Add("acks_per_cpu_s", cpu.PerServerCpuSecond(measured))
            .AddCpu("echo", cpu, "ack", measured)
            .Add("sessions", sessions.Length)
            .Add("disconnects", sessions.Count(s => s.LostUnexpectedly));
        return result.ToJson(options);
    }
}
