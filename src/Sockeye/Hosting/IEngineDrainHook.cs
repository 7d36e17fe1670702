namespace Sockeye.Hosting;

/// <summary>
/// Work that must finish during graceful shutdown while clients are still connected: it runs after new handshakes
/// are refused and before open sessions are closed with <c>server shutting down</c>. Register implementations as
/// singletons; they run concurrently and are bounded by the host's shutdown timeout.
/// </summary>
public interface IEngineDrainHook
{
    /// <summary>Finishes in-flight work (for example, messages being persisted that still need their acknowledgement).</summary>
    Task DrainAsync(CancellationToken cancellationToken);
}
