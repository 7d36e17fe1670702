using System.Buffers;
using System.Text.Json;
using Sockeye.Protocol.SocketIO.Internal;

namespace Sockeye.Protocol.SocketIO;

/// <content>EVENT and ACK packets, switched to their binary form when an argument holds binary data.</content>
public static partial class SocketPacketEncoder
{
    /// <summary>
    /// Writes an EVENT <c>[eventName, ...args]</c>, or a BINARY_EVENT when any argument holds binary data, whose bytes
    /// are then appended to <paramref name="attachments"/> in placeholder order.
    /// </summary>
    /// <remarks>
    /// The attachments reference the caller's buffers without copying them, so they must not change until sent.
    /// socket.io clients reject packets with more than 10 attachments by default.
    /// </remarks>
    /// <param name="output">Where the text packet is written.</param>
    /// <param name="nsp">The namespace; <c>/</c> is not written.</param>
    /// <param name="eventName">The event name; not one of <see cref="SocketReservedEventNames.All"/>.</param>
    /// <param name="args">The arguments, each serialized with its run-time type.</param>
    /// <param name="ackId">The ack id asking the peer to acknowledge, or <see langword="null"/>.</param>
    /// <param name="options">Options from <see cref="SocketJson.CreateOptions"/>.</param>
    /// <param name="attachments">Receives the binary attachments to send after the text packet.</param>
    /// <exception cref="ArgumentException">The event name is reserved, or the options lack the placeholder converters.</exception>
    public static void WriteEvent(
        IBufferWriter<byte> output,
        string nsp,
        string eventName,
        ReadOnlySpan<object?> args,
        long? ackId,
        JsonSerializerOptions options,
        List<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (SocketReservedEventNames.IsReserved(eventName))
        {
            throw new ArgumentException($"'{eventName}' is a reserved event name.", nameof(eventName));
        }

        WriteArray(output, SocketPacketType.Event, nsp, eventName, args, ackId, options, attachments);
    }

    /// <summary>
    /// Writes an ACK <c>[...args]</c>, or a BINARY_ACK when any argument holds binary data, whose bytes are then
    /// appended to <paramref name="attachments"/> in placeholder order.
    /// </summary>
    /// <remarks>The attachments reference the caller's buffers without copying them, so they must not change until sent.</remarks>
    /// <param name="output">Where the text packet is written.</param>
    /// <param name="nsp">The namespace; <c>/</c> is not written.</param>
    /// <param name="ackId">The id of the event being acknowledged.</param>
    /// <param name="args">The arguments, each serialized with its run-time type; may be empty.</param>
    /// <param name="options">Options from <see cref="SocketJson.CreateOptions"/>.</param>
    /// <param name="attachments">Receives the binary attachments to send after the text packet.</param>
    /// <exception cref="ArgumentException">The options lack the placeholder converters.</exception>
    public static void WriteAck(
        IBufferWriter<byte> output,
        string nsp,
        long ackId,
        ReadOnlySpan<object?> args,
        JsonSerializerOptions options,
        List<ReadOnlyMemory<byte>> attachments) =>
        WriteArray(output, SocketPacketType.Ack, nsp, null, args, ackId, options, attachments);

    private static void WriteArray(
        IBufferWriter<byte> output,
        SocketPacketType textType,
        string nsp,
        string? eventName,
        ReadOnlySpan<object?> args,
        long? ackId,
        JsonSerializerOptions options,
        List<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(attachments);
        if (!SocketJson.HasPlaceholderConverters(options))
        {
            // Without them binary data would silently go out as base64 strings instead of attachments.
            throw new ArgumentException("The options must come from SocketJson.CreateOptions.", nameof(options));
        }

        var start = attachments.Count;
        var payload = PooledBufferWriter.Rent();
        try
        {
            var writer = JsonWriterCache.Rent(payload, options.Encoder);
            try
            {
                using (SocketJson.Capture(attachments))
                {
                    writer.WriteStartArray();
                    if (eventName is not null)
                    {
                        writer.WriteStringValue(eventName);
                    }

                    foreach (var arg in args)
                    {
                        WriteValue(writer, arg, options);
                    }

                    writer.WriteEndArray();
                }

                writer.Flush();
            }
            finally
            {
                JsonWriterCache.Return(writer);
            }

            var count = attachments.Count - start;

            // EVENT (2) and ACK (3) become BINARY_EVENT (5) and BINARY_ACK (6).
            var type = count == 0 ? textType : textType + 3;
            WriteHeaderAndPayload(output, type, nsp, ackId, count, payload.WrittenSpan);
        }
        catch
        {
            // The packet was not written, so the caller must not send these attachments either.
            attachments.RemoveRange(start, attachments.Count - start);
            throw;
        }
        finally
        {
            PooledBufferWriter.Return(payload);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));
    }
}
