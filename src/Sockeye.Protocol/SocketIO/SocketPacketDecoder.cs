using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Sockeye.Protocol.SocketIO.Internal;

namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// Decodes the Socket.IO v5 packets of one connection. A binary packet announces N attachments in its text header,
/// and they arrive as the next N binary Engine.IO messages; the decoder holds the packet until the last one.
/// </summary>
/// <remarks>
/// Not thread-safe: a connection feeds its messages in order from one reader. Any
/// <see cref="SocketProtocolException"/> also discards a packet waiting for attachments, since the reference server
/// closes the connection on a decoding error anyway.
/// </remarks>
public sealed class SocketPacketDecoder
{
    private readonly int _maxAttachments;

    // The packet waiting for attachments; _buffers is null when none is.
    private SocketPacketType _pendingType;
    private string _pendingNamespace = SocketPacket.DefaultNamespace;
    private long? _pendingAckId;
    private JsonElement? _pendingData;
    private ReadOnlyMemory<byte>[]? _buffers;
    private int _received;

    // A connection mostly talks to one namespace, so its last name is reused instead of decoding a new string
    // for every packet.
    private byte[] _lastNamespaceUtf8 = [];
    private string _lastNamespace = SocketPacket.DefaultNamespace;

    /// <summary>Creates a decoder for one connection.</summary>
    /// <param name="options">The limits to apply, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SocketPacketDecoderOptions.MaxAttachments"/> is negative.</exception>
    public SocketPacketDecoder(SocketPacketDecoderOptions? options = null)
    {
        _maxAttachments = options?.MaxAttachments ?? SocketPacketDecoderOptions.DefaultMaxAttachments;
        ArgumentOutOfRangeException.ThrowIfNegative(_maxAttachments, "options.MaxAttachments");
    }

    /// <summary>Whether a binary packet has been announced and some of its attachments have not arrived yet.</summary>
    public bool IsAwaitingAttachments => _buffers is not null;

    /// <summary>Decodes one Engine.IO text message body (UTF-8, without the Engine.IO <c>4</c> prefix).</summary>
    /// <param name="utf8">The message body.</param>
    /// <returns>The packet, or <see langword="null"/> when it is a binary packet now waiting for its attachments.</returns>
    /// <exception cref="SocketProtocolException">The message is not a valid packet, or attachments were expected.</exception>
    public SocketPacket? DecodeText(ReadOnlySpan<byte> utf8)
    {
        if (_buffers is not null)
        {
            Reset();
            throw new SocketProtocolException("got plaintext data when reconstructing a packet");
        }

        if (!Utf8.IsValid(utf8))
        {
            throw new SocketProtocolException("packet is not valid UTF-8");
        }

        var header = SocketPacketHeaderReader.Read(utf8, _maxAttachments);
        var data = ParsePayload(utf8[header.PayloadStart..]);
        SocketPayloadRules.Validate(header.Type, data);
        var nsp = header.NamespaceStart < 0
            ? SocketPacket.DefaultNamespace
            : GetNamespace(utf8.Slice(header.NamespaceStart, header.NamespaceLength));

        var isBinary = header.Type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck;
        if (!isBinary || header.Attachments == 0)
        {
            return new SocketPacket(header.Type, nsp, header.AckId, data);
        }

        PlaceholderValidator.Validate(data!.Value, header.Attachments);
        _pendingType = header.Type;
        _pendingNamespace = nsp;
        _pendingAckId = header.AckId;
        _pendingData = data;
        _buffers = new ReadOnlyMemory<byte>[header.Attachments];
        _received = 0;
        return null;
    }

    /// <summary>Takes one binary Engine.IO message as the next attachment of the pending packet.</summary>
    /// <param name="data">The message; copied, so the caller may reuse its buffer.</param>
    /// <returns>The packet when this was its last attachment, otherwise <see langword="null"/>.</returns>
    /// <exception cref="SocketProtocolException">No binary packet is waiting for attachments.</exception>
    public SocketPacket? DecodeBinary(ReadOnlyMemory<byte> data)
    {
        var buffers = _buffers
            ?? throw new SocketProtocolException("got binary data when not reconstructing a packet");

        buffers[_received++] = data.ToArray();
        if (_received < buffers.Length)
        {
            return null;
        }

        var packet = new SocketPacket(_pendingType, _pendingNamespace, _pendingAckId, _pendingData, buffers);
        Reset();
        return packet;
    }

    /// <summary>Discards any packet waiting for attachments.</summary>
    public void Reset()
    {
        _buffers = null;
        _received = 0;
        _pendingData = null;
        _pendingNamespace = SocketPacket.DefaultNamespace;
        _pendingAckId = null;
    }

    private static JsonElement? ParsePayload(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        try
        {
            // A standalone element owns exactly-sized memory, so packets can be queued without holding pooled arrays.
            var reader = new Utf8JsonReader(json);
            var element = JsonElement.ParseValue(ref reader);

            // ParseValue stops after one value; JSON.parse rejects anything but whitespace after it.
            if (reader.Read())
            {
                throw new SocketProtocolException("invalid payload: unexpected data after the JSON value");
            }

            return element;
        }
        catch (JsonException exception)
        {
            throw new SocketProtocolException($"invalid payload: {exception.Message}", exception);
        }
    }

    private string GetNamespace(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.SequenceEqual(_lastNamespaceUtf8))
        {
            _lastNamespace = Encoding.UTF8.GetString(utf8);
            _lastNamespaceUtf8 = utf8.ToArray();
        }

        return _lastNamespace;
    }
}
