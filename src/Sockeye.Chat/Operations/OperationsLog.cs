using Microsoft.Extensions.Logging;

namespace Sockeye.Chat.Operations;

/// <summary>The operations layer's log messages (event ids 3000–3099).</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(3000, LogLevel.Information, "Draining: readiness is false, waiting up to {Timeout} for {InFlight} in-flight messages", EventName = "DrainStarted")]
    public static partial void DrainStarted(ILogger logger, TimeSpan timeout, int inFlight);

    [LoggerMessage(3001, LogLevel.Information, "Drained: no message in flight", EventName = "Drained")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(3002, LogLevel.Warning, "Shutdown timeout reached with {InFlight} messages still in flight", EventName = "DrainTimedOut")]
    public static partial void DrainTimedOut(ILogger logger, int inFlight);
}
