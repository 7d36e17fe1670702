using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>
/// Keeps one <see cref="Utf8JsonWriter"/> per thread so that encoding a packet does not allocate a writer.
/// </summary>
internal static class JsonWriterCache
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Returns a writer over <paramref name="output"/> that escapes with <paramref name="encoder"/>.</summary>
    public static Utf8JsonWriter Rent(IBufferWriter<byte> output, JavaScriptEncoder? encoder)
    {
        var writer = t_writer;
        if (writer is not null && ReferenceEquals(writer.Options.Encoder, encoder))
        {
            // Taken out of the cache while in use, so a nested encode on this thread gets its own writer.
            t_writer = null;
            writer.Reset(output);
            return writer;
        }

        // Packets are never indented: a Socket.IO frame is for the peer, not for reading.
        return new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = encoder });
    }

    public static void Return(Utf8JsonWriter writer)
    {
        // Pointing the writer at an empty sink drops the reference to the caller's output; unlike Stream.Null it
        // makes the writer allocate nothing.
        writer.Reset(NullBufferWriter.Instance);
        t_writer = writer;
    }

    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Memory<byte>.Empty;

        public Span<byte> GetSpan(int sizeHint = 0) => Span<byte>.Empty;
    }
}
