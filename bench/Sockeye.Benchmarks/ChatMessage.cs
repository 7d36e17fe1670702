namespace Sockeye.Benchmarks;

/// <summary>The event argument every benchmark sends: <c>{"text":"...","room":"chat"}</c> with the web defaults.</summary>
public sealed record ChatMessage(string Text, string Room);
