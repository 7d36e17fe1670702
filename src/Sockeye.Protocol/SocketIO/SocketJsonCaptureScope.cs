using Sockeye.Protocol.SocketIO.Internal;

namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// While alive, serializers created by <see cref="SocketJson.CreateOptions"/> on this thread write binary values as
/// placeholders and append the bytes to a list. Create it with <see cref="SocketJson.Capture"/> in a <c>using</c>.
/// </summary>
/// <remarks>
/// A ref struct, because the scope is per thread and must not outlive the synchronous serializer call it wraps
/// (it cannot cross an <c>await</c>). Disposing restores the enclosing scope, so scopes nest.
/// </remarks>
public ref struct SocketJsonCaptureScope
{
    private readonly List<ReadOnlyMemory<byte>>? _sink;
    private readonly int _start;
    private readonly List<ReadOnlyMemory<byte>>? _previousSink;
    private readonly int _previousStart;
    private bool _disposed;

    internal SocketJsonCaptureScope(List<ReadOnlyMemory<byte>>? sink)
    {
        _sink = sink;
        _start = sink?.Count ?? 0;
        _previousSink = PlaceholderScope.Sink;
        _previousStart = PlaceholderScope.SinkStart;
        _disposed = false;
        PlaceholderScope.SetSink(sink, _start);
    }

    /// <summary>How many binary values this scope has captured so far.</summary>
    public readonly int Count => _sink is null ? 0 : _sink.Count - _start;

    /// <summary>Ends the scope and restores the one it was nested in.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            PlaceholderScope.SetSink(_previousSink, _previousStart);
        }
    }
}
