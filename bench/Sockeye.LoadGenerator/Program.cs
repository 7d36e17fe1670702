// The load generator of the side-by-side benchmark (bench/run.sh). One scenario per run, one JSON line on stdout:
//   echo | fanout | connect | polling  --target NAME --pid PID [--protocol socketio|signalr] [--url URL] [options]
//   soak --target NAME --pid PID --duration SECONDS [options]   (exits 1 when the verdict is a failure; docs/soak.md)
//   report --input results.jsonl --baseline node   (the markdown table of RESULTS.md)
using Sockeye.LoadGenerator;
using Sockeye.LoadGenerator.Reporting;
using Sockeye.LoadGenerator.Scenarios;

try
{
    var options = new CommandLine(args);
    if (options.Scenario == "report")
    {
        Console.Write(MarkdownReport.Render(options.Required("input"), options.Text("baseline", "node")));
        return 0;
    }

    var target = TargetInfo.From(options);
    if (options.Scenario == "soak")
    {
        var soak = await SoakScenario.RunAsync(target, options);
        Console.WriteLine(soak.Line);
        return soak.Passed ? 0 : 1;
    }

    var line = options.Scenario switch
    {
        "echo" => await EchoScenario.RunAsync(target, options),
        "fanout" => await FanoutScenario.RunAsync(target, options),
        "connect" => await ConnectScenario.RunAsync(target, options),
        "polling" => await PollingScenario.RunAsync(target, options),
        _ => throw new ArgumentException($"Unknown scenario '{options.Scenario}'."),
    };
    Console.WriteLine(line);
    return 0;
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
