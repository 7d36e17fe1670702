using System.Globalization;

namespace Sockeye.LoadGenerator;

/// <summary>
/// <c>scenario --name value ...</c>: the scenario first, then options. Every option has a default that fits a
/// two-core machine; the ones a scenario read are echoed in its result line.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, object> _used = new(StringComparer.Ordinal);

    public CommandLine(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("usage: Sockeye.LoadGenerator <echo|fanout|connect|polling|soak|report> [--option value]...");
        }

        Scenario = args[0];
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 == args.Length)
            {
                throw new ArgumentException($"Expected '--name value' at '{args[i]}'.");
            }

            _values[args[i][2..]] = args[++i];
        }
    }

    public string Scenario { get; }

    /// <summary>The options read so far with the values used (defaults included).</summary>
    public IReadOnlyDictionary<string, object> Used => _used;

    public string Text(string name, string fallback)
    {
        var value = _values.GetValueOrDefault(name, fallback);
        _used[name] = value;
        return value;
    }

    public int Int(string name, int fallback)
    {
        var value = _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        _used[name] = value;
        return value;
    }

    public double Double(string name, double fallback)
    {
        var value = _values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
        _used[name] = value;
        return value;
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");
}
