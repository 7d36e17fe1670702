using Sockeye.Protocol.SocketIO.Internal;

namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// While alive, serializers created by <see cref="SocketJson.CreateOptions"/> on this thread read placeholders back
/// as the attachment bytes. Create it with <see cref="SocketJson.Resolve"/> in a <c>using</c>.
/// </summary>
/// <remarks>
/// A ref struct, because the scope is per thread and must not outlive the synchronous deserializer call it wraps
/// (it cannot cross an <c>await</c>). Disposing restores the enclosing scope, so scopes nest.
/// </remarks>
public ref struct SocketJsonResolveScope
{
    private readonly IReadOnlyList<ReadOnlyMemory<byte>>? _previous;
    private bool _disposed;

    internal SocketJsonResolveScope(IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        _previous = PlaceholderScope.Attachments;
        _disposed = false;
        PlaceholderScope.SetAttachments(attachments);
    }

    /// <summary>Ends the scope and restores the one it was nested in.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            PlaceholderScope.SetAttachments(_previous);
        }
    }
}
