namespace Sockeye.Adapters;

/// <summary>Modifiers of a broadcast.</summary>
/// <param name="Local">Only sockets of this server, even with a cluster adapter.</param>
/// <param name="Volatile">Dropped for recipients whose transport is not ready, never queued.</param>
/// <param name="Compress">Whether the packet may be compressed (WebSocket per-message deflate decides).</param>
/// <param name="Timeout">For broadcasts with acknowledgements: how long to wait for them.</param>
public readonly record struct BroadcastFlags(bool Local = false, bool Volatile = false, bool Compress = true, TimeSpan? Timeout = null);
