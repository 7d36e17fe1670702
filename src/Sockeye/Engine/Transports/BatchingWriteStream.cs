using System.Buffers;

namespace Sockeye.Engine.Transports;

/// <summary>
/// The connection stream under a server WebSocket, able to gather the frames of several packets into one write.
/// </summary>
/// <remarks>
/// <para>
/// Every <see cref="System.Net.WebSockets.WebSocket.SendAsync(ReadOnlyMemory{byte}, System.Net.WebSockets.WebSocketMessageType, bool, CancellationToken)"/>
/// is one write to the connection, and on Kestrel every write is a flush: with inline I/O scheduling that is one
/// system call per frame. When a session's writer finds several packets waiting (a burst of broadcasts), it
/// <see cref="Hold">holds</see> the stream, the frames land in one pooled buffer, and
/// <see cref="ReleaseAsync"/> writes them with a single call.
/// </para>
/// <para>
/// The WebSocket may also write on its own (a pong, a close frame) from another thread. Appends are therefore made
/// under a lock, and every write to the connection is made under an asynchronous lock, so bytes never interleave.
/// </para>
/// </remarks>
internal sealed class BatchingWriteStream(Stream inner) : Stream
{
    /// <summary>Above this many gathered bytes the batch is written out before more is added.</summary>
    public const int MaxBatchBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private byte[]? _batch;
    private int _count;
    private bool _holding;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>From now on writes are gathered until <see cref="ReleaseAsync"/>.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _holding = true;
        }
    }

    /// <summary>Stops gathering and writes what was gathered.</summary>
    public ValueTask ReleaseAsync()
    {
        lock (_lock)
        {
            _holding = false;
            if (_count == 0)
            {
                return default;
            }
        }

        return WriteBatchAsync(CancellationToken.None);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_holding && _count + buffer.Length <= MaxBatchBytes)
            {
                _batch ??= ArrayPool<byte>.Shared.Rent(MaxBatchBytes);
                buffer.Span.CopyTo(_batch.AsSpan(_count));
                _count += buffer.Length;
                return default;
            }
        }

        return WriteThroughAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                if (_batch is { } batch)
                {
                    _batch = null;
                    _count = 0;
                    ArrayPool<byte>.Shared.Return(batch);
                }
            }

            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Writes the gathered bytes (if any) and then <paramref name="buffer"/>, in that order.</summary>
    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteBatchLockedAsync(cancellationToken).ConfigureAwait(false);
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteBatchAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteBatchLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteBatchLockedAsync(CancellationToken cancellationToken)
    {
        byte[]? batch;
        int count;
        lock (_lock)
        {
            batch = _batch;
            count = _count;
            _batch = null;
            _count = 0;
        }

        if (batch is null)
        {
            return;
        }

        try
        {
            if (count > 0)
            {
                await inner.WriteAsync(batch.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }
}
