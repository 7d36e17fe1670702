using System.Globalization;

namespace Sockeye.LoadGenerator.Measurement;

/// <summary>CPU time and resident set of a process, from <c>/proc/&lt;pid&gt;/stat</c> and <c>/proc/&lt;pid&gt;/status</c>.</summary>
internal static class ProcessStats
{
    // USER_HZ is 100 on every Linux the benchmark targets (getconf CLK_TCK).
    private const double TicksPerSecond = 100.0;

    /// <summary>utime + stime of the process, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var (user, system) = UserAndSystemSeconds(pid);
        return user + system;
    }

    /// <summary>utime and stime of the process, in seconds: time in its own code and time in the kernel for it.</summary>
    public static (double User, double System) UserAndSystemSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name may hold spaces and parentheses: fields are counted after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // Fields 14 and 15 of stat(5) are utime and stime; after the name, field 3 is index 0.
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime / TicksPerSecond, stime / TicksPerSecond);
    }

    /// <summary>
    /// CPU time spent by every process of the machine in user and kernel mode (the user, nice and system columns of
    /// <c>/proc/stat</c>), in seconds. Interrupt time is left out, as it is not charged to any process either.
    /// </summary>
    public static double MachineCpuSeconds()
    {
        using var reader = new StreamReader("/proc/stat");
        var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var user = long.Parse(fields[1], CultureInfo.InvariantCulture);
        var nice = long.Parse(fields[2], CultureInfo.InvariantCulture);
        var system = long.Parse(fields[3], CultureInfo.InvariantCulture);
        return (user + nice + system) / TicksPerSecond;
    }

    /// <summary>VmRSS of the process, in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>
    /// Voluntary plus involuntary context switches of each live thread of the process, by thread id: how often its
    /// threads gave up the core, which on one core is the price of every hand-off between threads.
    /// </summary>
    public static Dictionary<int, long> ContextSwitches(int pid)
    {
        var result = new Dictionary<int, long>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                long total = 0;
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)
                        || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }

                result[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = total;
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }

        return result;
    }

    /// <summary>
    /// Context switches between two readings: threads alive at both count their difference, threads born in between
    /// count all of theirs. Threads that ended in between are lost, so this is a lower bound.
    /// </summary>
    public static long ContextSwitchesBetween(Dictionary<int, long> before, Dictionary<int, long> after) =>
        after.Sum(thread => thread.Value - before.GetValueOrDefault(thread.Key));

    public static int CurrentPid => Environment.ProcessId;
}

/// <summary>
/// CPU used by the server and by this process over one measured phase, with its wall time: the server's cost per
/// unit of work, and whether the load generator itself was close to saturating its core.
/// </summary>
internal sealed class CpuWindow
{
    private readonly int _serverPid;
    private readonly long _start;
    private readonly double _serverStart;
    private readonly double _serverSystemStart;
    private readonly double _selfStart;
    private readonly Dictionary<int, long> _switchesStart;
    private readonly double _machineStart;

    private CpuWindow(int serverPid)
    {
        _serverPid = serverPid;
        _start = System.Diagnostics.Stopwatch.GetTimestamp();
        var (user, system) = ProcessStats.UserAndSystemSeconds(serverPid);
        _serverStart = user + system;
        _serverSystemStart = system;
        _selfStart = ProcessStats.CpuSeconds(ProcessStats.CurrentPid);
        _switchesStart = ProcessStats.ContextSwitches(serverPid);
        _machineStart = ProcessStats.MachineCpuSeconds();
    }

    public double WallSeconds { get; private set; }

    public double ServerCpuSeconds { get; private set; }

    /// <summary>The part of <see cref="ServerCpuSeconds"/> spent in the kernel (system calls, the TCP stack).</summary>
    public double ServerSystemSeconds { get; private set; }

    public double SelfCpuSeconds { get; private set; }

    /// <summary>
    /// CPU used over the phase by everything but the server and the load generator: other work on the machine
    /// that competed with the benchmark.
    /// </summary>
    public double OtherCpuSeconds { get; private set; }

    /// <summary>Other processes' CPU as a percentage of one core.</summary>
    public double OtherCpuPercent => WallSeconds > 0 ? 100 * OtherCpuSeconds / WallSeconds : 0;

    /// <summary>Context switches of the server's threads over the phase.</summary>
    public long ServerContextSwitches { get; private set; }

    /// <summary>Server CPU as a percentage of one core.</summary>
    public double ServerCpuPercent => WallSeconds > 0 ? 100 * ServerCpuSeconds / WallSeconds : 0;

    /// <summary>Load generator CPU as a percentage of one core.</summary>
    public double SelfCpuPercent => WallSeconds > 0 ? 100 * SelfCpuSeconds / WallSeconds : 0;

    public static CpuWindow Start(int serverPid) => new(serverPid);

    public CpuWindow Stop()
    {
        WallSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var (user, system) = ProcessStats.UserAndSystemSeconds(_serverPid);
        ServerCpuSeconds = user + system - _serverStart;
        ServerSystemSeconds = system - _serverSystemStart;
        SelfCpuSeconds = ProcessStats.CpuSeconds(ProcessStats.CurrentPid) - _selfStart;
        ServerContextSwitches = ProcessStats.ContextSwitchesBetween(_switchesStart, ProcessStats.ContextSwitches(_serverPid));
        OtherCpuSeconds = Math.Max(0, ProcessStats.MachineCpuSeconds() - _machineStart - ServerCpuSeconds - SelfCpuSeconds);
        return this;
    }

    /// <summary>Units of work per server CPU-second (0 when the server used no measurable CPU).</summary>
    public double PerServerCpuSecond(double units) => ServerCpuSeconds > 0 ? units / ServerCpuSeconds : 0;

    /// <summary>Server CPU per unit of work, in microseconds.</summary>
    public double ServerMicrosPer(double units) => units > 0 ? ServerCpuSeconds * 1e6 / units : double.NaN;

    /// <summary>Server CPU in the kernel per unit of work, in microseconds.</summary>
    public double ServerSystemMicrosPer(double units) => units > 0 ? ServerSystemSeconds * 1e6 / units : double.NaN;

    /// <summary>Server context switches per unit of work.</summary>
    public double ServerSwitchesPer(double units) => units > 0 ? ServerContextSwitches / units : double.NaN;
}
