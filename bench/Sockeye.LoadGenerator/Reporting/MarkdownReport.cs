using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sockeye.LoadGenerator.Reporting;

/// <summary>
/// Turns the JSON lines of a run into markdown: a headline table (each metric per target and its ratio to the
/// baseline), the parameters each scenario ran with, and every other metric in a second table.
/// </summary>
internal static class MarkdownReport
{
    private static readonly (string Scenario, string Metric, string Label)[] s_headline =
    [
        ("echo", "closed_acks_per_s", "echo, closed loop: acks/s"),
        ("echo", "closed_p50_ms", "echo, closed loop: p50 ms"),
        ("echo", "closed_p99_ms", "echo, closed loop: p99 ms"),
        ("echo", "closed_acks_per_cpu_s", "echo, closed loop: acks per server CPU-s"),
        ("echo", "closed_server_us_per_ack", "echo, closed loop: server CPU µs per ack"),
        ("echo", "closed_server_sys_us_per_ack", "echo, closed loop: of which in the kernel, µs"),
        ("echo", "closed_server_cswitch_per_ack", "echo, closed loop: server context switches per ack"),
        ("echo", "fixed_acks_per_s", "echo, fixed rate: acks/s"),
        ("echo", "fixed_p50_ms", "echo, fixed rate: p50 ms"),
        ("echo", "fixed_p99_ms", "echo, fixed rate: p99 ms"),
        ("echo", "fixed_acks_per_cpu_s", "echo, fixed rate: acks per server CPU-s"),
        ("fanout", "fixed_delivered_per_s", "fan-out, fixed rate: delivered msgs/s"),
        ("fanout", "fixed_loss_pct", "fan-out, fixed rate: loss %"),
        ("fanout", "fixed_p50_ms", "fan-out, fixed rate: p50 ms"),
        ("fanout", "fixed_p99_ms", "fan-out, fixed rate: p99 ms"),
        ("fanout", "fixed_max_ms", "fan-out, fixed rate: max ms"),
        ("fanout", "fixed_deliveries_per_cpu_s", "fan-out, fixed rate: deliveries per server CPU-s"),
        ("fanout", "fixed_server_cswitch_per_delivery", "fan-out, fixed rate: server context switches per delivery"),
        ("fanout", "sat_delivered_per_s", "fan-out, saturation: delivered msgs/s"),
        ("fanout", "sat_deliveries_per_cpu_s", "fan-out, saturation: deliveries per server CPU-s"),
        ("fanout", "sat_p99_ms", "fan-out, saturation: p99 ms"),
        ("connect", "connects_per_s", "connect: connects/s"),
        ("connect", "failures", "connect: failures"),
        ("connect", "connect_p99_ms", "connect: p99 ms"),
        ("connect", "connects_per_cpu_s", "connect: connects per server CPU-s"),
        ("connect", "rss_per_conn_kib", "connect: server RSS per idle connection, KiB"),
        ("connect", "heap_per_conn_kib", "connect: GC heap per idle connection, KiB"),
        ("polling", "acks_per_s", "polling echo: acks/s"),
        ("polling", "echo_p50_ms", "polling echo: p50 ms"),
        ("polling", "echo_p99_ms", "polling echo: p99 ms"),
        ("polling", "acks_per_cpu_s", "polling echo: acks per server CPU-s"),
    ];

    public static string Render(string path, string baseline)
    {
        var lines = File.ReadAllLines(path)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();
        var targets = lines.Select(l => l.GetProperty("target").GetString()!).Distinct().ToList();
        var others = targets.Where(t => t != baseline).ToList();
        var results = lines.ToDictionary(
            l => (l.GetProperty("target").GetString()!, l.GetProperty("scenario").GetString()!),
            l => l);

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"| metric | better | {string.Join(" | ", targets)} | {string.Join(" | ", others.Select(o => $"{o} / {baseline}"))} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"|---|:-:|{string.Concat(targets.Select(_ => "--:|"))}{string.Concat(others.Select(_ => "--:|"))}");
        var shown = new HashSet<(string, string)>();
        foreach (var (scenario, metric, label) in s_headline)
        {
            shown.Add((scenario, metric));
            AppendRow(md, label, scenario, metric, targets, others, baseline, results);
        }

        md.AppendLine();
        md.AppendLine("Parameters (the same for every target):");
        md.AppendLine();
        foreach (var scenario in lines.Select(l => l.GetProperty("scenario").GetString()!).Distinct())
        {
            var line = lines.First(l => l.GetProperty("scenario").GetString() == scenario);
            var parameters = line.GetProperty("parameters").EnumerateObject()
                .Where(p => p.Name is not ("target" or "protocol" or "url"))
                .Select(p => $"{p.Name}={p.Value}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- `{scenario}`: {string.Join(", ", parameters)}");
        }

        md.AppendLine();
        md.AppendLine("<details><summary>Every metric</summary>");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| scenario.metric | better | {string.Join(" | ", targets)} | {string.Join(" | ", others.Select(o => $"{o} / {baseline}"))} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"|---|:-:|{string.Concat(targets.Select(_ => "--:|"))}{string.Concat(others.Select(_ => "--:|"))}");
        foreach (var line in lines)
        {
            var scenario = line.GetProperty("scenario").GetString()!;
            foreach (var metric in line.GetProperty("metrics").EnumerateObject())
            {
                if (shown.Add((scenario, metric.Name)))
                {
                    AppendRow(md, $"{scenario}.{metric.Name}", scenario, metric.Name, targets, others, baseline, results);
                }
            }
        }

        md.AppendLine();
        md.AppendLine("</details>");
        return md.ToString();
    }

    private static void AppendRow(StringBuilder md, string label, string scenario, string metric, List<string> targets, List<string> others, string baseline, Dictionary<(string, string), JsonElement> results)
    {
        var values = targets.ToDictionary(t => t, t => Value(results, t, scenario, metric));
        if (values.Values.All(v => v is null))
        {
            return;
        }

        var cells = targets.Select(t => values[t] is { } v ? Format(v) : "—");
        var ratios = others.Select(o => values[o] is double v && values.GetValueOrDefault(baseline) is double b && b != 0 && v is double d
            ? (d / b).ToString("0.00", CultureInfo.InvariantCulture) + "×"
            : "—");
        md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Better(metric)} | {string.Join(" | ", cells)} | {string.Join(" | ", ratios)} |");
    }

    private static object? Value(Dictionary<(string, string), JsonElement> results, string target, string scenario, string metric)
    {
        if (!results.TryGetValue((target, scenario), out var line) || !line.GetProperty("metrics").TryGetProperty(metric, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
    }

    private static string Better(string metric)
    {
        if (metric.EndsWith("_per_s", StringComparison.Ordinal) || metric.EndsWith("_per_cpu_s", StringComparison.Ordinal))
        {
            return "↑";
        }

        if (metric.EndsWith("_ms", StringComparison.Ordinal) || metric.EndsWith("_kib", StringComparison.Ordinal)
            || metric.Contains("loss", StringComparison.Ordinal) || metric.Contains("fail", StringComparison.Ordinal)
            || metric.Contains("lost", StringComparison.Ordinal) || metric.Contains("disconnects", StringComparison.Ordinal)
            || metric.Contains("stalls", StringComparison.Ordinal) || metric.Contains("_us_per_", StringComparison.Ordinal)
            || metric.Contains("cswitch", StringComparison.Ordinal))
        {
            return "↓";
        }

        return "";
    }

    private static string Format(object value) => value switch
    {
        double d when Math.Abs(d) >= 1000 => d.ToString("#,0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 100 => d.ToString("0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 10 => d.ToString("0.0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
