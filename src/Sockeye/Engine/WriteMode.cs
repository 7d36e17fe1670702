namespace Sockeye.Engine;

/// <summary>Who runs a session's WebSocket writer when a send finds it idle.</summary>
internal enum WriteMode
{
    /// <summary>The sending thread writes at once: a reply reaches the socket without a thread hop.</summary>
    Inline,

    /// <summary>
    /// The thread pool writes: a broadcast goes on to its next recipient at once, and under load a session's writer
    /// finds several packets waiting and sends them in one write.
    /// </summary>
    Posted,
}
