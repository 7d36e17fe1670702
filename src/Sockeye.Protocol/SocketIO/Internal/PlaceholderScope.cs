namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>
/// The per-thread state read by the placeholder converters. A thread-static is safe because one
/// <see cref="System.Text.Json.JsonSerializer"/> call on a <see cref="System.Text.Json.Utf8JsonWriter"/> or a
/// <see cref="System.Text.Json.JsonElement"/> runs synchronously on one thread; the public scopes are ref structs, so
/// they cannot span an <c>await</c>.
/// </summary>
internal static class PlaceholderScope
{
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_sink;

    [ThreadStatic]
    private static int t_sinkStart;

    [ThreadStatic]
    private static IReadOnlyList<ReadOnlyMemory<byte>>? t_attachments;

    /// <summary>Where binary values are collected, or <see langword="null"/> to write them as base64.</summary>
    public static List<ReadOnlyMemory<byte>>? Sink => t_sink;

    /// <summary>The index in <see cref="Sink"/> that placeholder <c>num</c> 0 refers to.</summary>
    public static int SinkStart => t_sinkStart;

    /// <summary>The attachments placeholders are resolved against, or <see langword="null"/> outside a resolve scope.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>>? Attachments => t_attachments;

    public static void SetSink(List<ReadOnlyMemory<byte>>? sink, int start)
    {
        t_sink = sink;
        t_sinkStart = start;
    }

    public static void SetAttachments(IReadOnlyList<ReadOnlyMemory<byte>>? attachments) => t_attachments = attachments;
}
