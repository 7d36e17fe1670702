using System.Text.Json;
using System.Text.Json.Nodes;
using Sockeye.LoadGenerator.Measurement;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>The one JSON line a scenario prints: target, scenario, the options it ran with, then flat metrics.</summary>
internal sealed class ResultLine
{
    private readonly JsonObject _metrics = [];
    private readonly JsonObject _root;

    public ResultLine(TargetInfo target, CommandLine options)
    {
        _root = new JsonObject
        {
            ["target"] = target.Name,
            ["scenario"] = options.Scenario,
        };
    }

    public ResultLine Add(string name, double value)
    {
        _metrics[name] = double.IsFinite(value) ? Math.Round(value, 3) : null;
        return this;
    }

    public ResultLine Add(string name, long value)
    {
        _metrics[name] = value;
        return this;
    }

    public ResultLine Add(string name, string value)
    {
        _metrics[name] = value;
        return this;
    }

    /// <summary>Adds <c>prefix_p50_ms</c>, <c>prefix_p99_ms</c> and <c>prefix_max_ms</c>.</summary>
    public ResultLine AddLatency(string prefix, LatencyHistogram histogram)
    {
        Add(prefix + "_p50_ms", histogram.PercentileMillis(50));
        Add(prefix + "_p99_ms", histogram.PercentileMillis(99));
        return Add(prefix + "_max_ms", histogram.Count == 0 ? double.NaN : histogram.MaxMicros / 1000.0);
    }

    /// <summary>
    /// Adds the CPU use of the server, of the load generator and of anything else on the machine over a phase (in %
    /// of one core), and the server's CPU time and context switches per unit of work (<paramref name="unit"/> names
    /// it: ack, delivery, connect).
    /// </summary>
    public ResultLine AddCpu(string prefix, CpuWindow window, string unit, double units)
    {
        Add($"{prefix}_server_us_per_{unit}", window.ServerMicrosPer(units));
        Add($"{prefix}_server_sys_us_per_{unit}", window.ServerSystemMicrosPer(units));
        Add($"{prefix}_server_cswitch_per_{unit}", window.ServerSwitchesPer(units));
        Add(prefix + "_server_cpu_pct", window.ServerCpuPercent);
        Add(prefix + "_loadgen_cpu_pct", window.SelfCpuPercent);
        return Add(prefix + "_other_cpu_pct", window.OtherCpuPercent);
    }

    public string ToJson(CommandLine options)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in options.Used)
        {
            parameters[name] = value switch
            {
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                _ => JsonValue.Create(value.ToString()),
            };
        }

        _root["parameters"] = parameters;
        _root["metrics"] = _metrics;
        return _root.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
