namespace Sockeye.Engine;

/// <summary>The life cycle of an Engine.IO session.</summary>
internal enum EngineSocketState
{
    /// <summary>Exchanging packets.</summary>
    Open,

    /// <summary>A WebSocket probe succeeded; polling is paused until the client sends <c>upgrade</c>.</summary>
    Upgrading,

    /// <summary>Closed by the server; the last packets and the <c>close</c> packet are still being delivered.</summary>
    Closing,

    /// <summary>Gone.</summary>
    Closed,
}
