using System.Buffers;
using System.Text.Json;
using Sockeye.Protocol.SocketIO.Internal;

namespace Sockeye.Protocol.SocketIO;

/// <content>CONNECT, CONNECT_ERROR and DISCONNECT packets sent by the server.</content>
public static partial class SocketPacketEncoder
{
    private static readonly JsonEncodedText s_sid = JsonEncodedText.Encode("sid");
    private static readonly JsonEncodedText s_pid = JsonEncodedText.Encode("pid");
    private static readonly JsonEncodedText s_message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText s_data = JsonEncodedText.Encode("data");

    /// <summary>Writes the CONNECT reply <c>0[nsp,]{"sid":...}</c>, with <c>"pid"</c> when connection state recovery is on.</summary>
    /// <param name="output">Where the packet is written.</param>
    /// <param name="nsp">The namespace joined; <c>/</c> is not written.</param>
    /// <param name="sid">The socket id.</param>
    /// <param name="pid">The private session id for connection state recovery, or <see langword="null"/>.</param>
    public static void WriteConnect(IBufferWriter<byte> output, string nsp, string sid, string? pid)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sid);
        ValidateHeader(SocketPacketType.Connect, nsp, null, 0);
        var payload = PooledBufferWriter.Rent();
        try
        {
            var writer = JsonWriterCache.Rent(payload, null);
            try
            {
                writer.WriteStartObject();
                writer.WriteString(s_sid, sid);
                if (pid is not null)
                {
                    writer.WriteString(s_pid, pid);
                }

                writer.WriteEndObject();
                writer.Flush();
            }
            finally
            {
                JsonWriterCache.Return(writer);
            }

            WriteHeaderAndPayload(output, SocketPacketType.Connect, nsp, null, 0, payload.WrittenSpan);
        }
        finally
        {
            PooledBufferWriter.Return(payload);
        }
    }

    /// <summary>Writes a CONNECT_ERROR <c>4[nsp,]{"message":...,"data":...}</c>; <c>data</c> is omitted when null.</summary>
    /// <remarks>
    /// Binary values in <paramref name="data"/> are written as base64: socket.io only sends EVENT and ACK packets in
    /// binary form.
    /// </remarks>
    /// <param name="output">Where the packet is written.</param>
    /// <param name="nsp">The namespace refused; <c>/</c> is not written.</param>
    /// <param name="message">The error message.</param>
    /// <param name="data">Extra details, serialized with its run-time type, or <see langword="null"/>.</param>
    /// <param name="options">The serializer options for <paramref name="data"/>.</param>
    public static void WriteConnectError(
        IBufferWriter<byte> output,
        string nsp,
        string message,
        object? data,
        JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        ValidateHeader(SocketPacketType.ConnectError, nsp, null, 0);
        var payload = PooledBufferWriter.Rent();
        try
        {
            var writer = JsonWriterCache.Rent(payload, options.Encoder);
            try
            {
                // An empty capture scope makes the placeholder converters fall back to base64 even when this runs
                // inside the serialization of a binary packet.
                using (new SocketJsonCaptureScope(null))
                {
                    writer.WriteStartObject();
                    writer.WriteString(s_message, message);
                    if (data is not null)
                    {
                        writer.WritePropertyName(s_data);
                        JsonSerializer.Serialize(writer, data, options.GetTypeInfo(data.GetType()));
                    }

                    writer.WriteEndObject();
                }

                writer.Flush();
            }
            finally
            {
                JsonWriterCache.Return(writer);
            }

            WriteHeaderAndPayload(output, SocketPacketType.ConnectError, nsp, null, 0, payload.WrittenSpan);
        }
        finally
        {
            PooledBufferWriter.Return(payload);
        }
    }

    /// <summary>Writes a DISCONNECT <c>1[nsp,]</c>.</summary>
    /// <param name="output">Where the packet is written.</param>
    /// <param name="nsp">The namespace left; <c>/</c> is not written.</param>
    public static void WriteDisconnect(IBufferWriter<byte> output, string nsp) =>
        WriteHeaderAndPayload(output, SocketPacketType.Disconnect, nsp, null, 0, []);
}
