namespace Sockeye.LoadGenerator.Scenarios;

/// <summary>The soak's result line and its verdict, which becomes the load generator's exit code.</summary>
internal sealed record SoakOutcome(string Line, bool Passed);
