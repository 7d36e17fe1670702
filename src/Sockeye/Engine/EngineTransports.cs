namespace Sockeye.Engine;

/// <summary>The low-level transports a client may use.</summary>
[Flags]
public enum EngineTransports
{
    /// <summary>No transport (invalid as a configuration).</summary>
    None = 0,

    /// <summary>HTTP long-polling: works through every proxy; the default first transport of the official client.</summary>
    Polling = 1,

    /// <summary>WebSocket, either directly or as an upgrade from polling.</summary>
    WebSocket = 2,

    /// <summary>Both transports (the default).</summary>
    All = Polling | WebSocket,
}
