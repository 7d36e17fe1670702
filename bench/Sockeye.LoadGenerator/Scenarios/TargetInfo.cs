using Sockeye.LoadGenerator.Wire;

namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>The server under test: its name for the report, base URL, wire protocol and process id.</summary>
internal sealed record TargetInfo(string Name, Uri BaseUri, WireProtocol Wire, string Protocol, int Pid)
{
    public static TargetInfo From(CommandLine options)
    {
        var protocol = options.Text("protocol", "socketio");
        return new TargetInfo(
            options.Required("target"),
            new Uri(options.Text("url", "http://127.0.0.1:3000")),
            WireProtocol.For(protocol),
            protocol,
            int.Parse(options.Required("pid"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
