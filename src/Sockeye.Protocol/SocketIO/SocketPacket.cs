using System.Text.Json;

namespace Sockeye.Protocol.SocketIO;

/// <summary>
/// A fully decoded Socket.IO packet: for binary packets, every attachment has arrived.
/// </summary>
/// <remarks>
/// <see cref="Data"/> is a standalone <see cref="JsonElement"/> that owns its memory, so the packet may outlive the
/// buffer it was decoded from. Binary placeholders stay in <see cref="Data"/> as <c>{"_placeholder":true,"num":i}</c>;
/// resolve them with <see cref="SocketJson.Deserialize{T}"/> or <see cref="SocketJson.TryGetAttachment"/>.
/// </remarks>
public sealed class SocketPacket
{
    /// <summary>The namespace used when none is written on the wire.</summary>
    public const string DefaultNamespace = "/";

    /// <summary>Creates a packet without attachments.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="namespaceName">The namespace, <c>/</c> for the main namespace.</param>
    /// <param name="ackId">The acknowledgement id, or <see langword="null"/>.</param>
    /// <param name="data">The payload, or <see langword="null"/> when absent.</param>
    public SocketPacket(SocketPacketType type, string namespaceName, long? ackId, JsonElement? data)
        : this(type, namespaceName, ackId, data, [])
    {
    }

    /// <summary>Creates a packet with binary attachments.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="namespaceName">The namespace, <c>/</c> for the main namespace.</param>
    /// <param name="ackId">The acknowledgement id, or <see langword="null"/>.</param>
    /// <param name="data">The payload, or <see langword="null"/> when absent.</param>
    /// <param name="attachments">The attachments; the index is the placeholder <c>num</c>. The list is kept, not copied.</param>
    public SocketPacket(
        SocketPacketType type,
        string namespaceName,
        long? ackId,
        JsonElement? data,
        IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(namespaceName);
        ArgumentNullException.ThrowIfNull(attachments);
        Type = type;
        Namespace = namespaceName;
        AckId = ackId;
        Data = data;
        Attachments = attachments;
    }

    /// <summary>The packet type.</summary>
    public SocketPacketType Type { get; }

    /// <summary>The namespace; <c>/</c> when absent on the wire.</summary>
    public string Namespace { get; }

    /// <summary>The acknowledgement id, or <see langword="null"/> when the packet carries none.</summary>
    public long? AckId { get; }

    /// <summary>The payload, or <see langword="null"/> when absent; a standalone element not tied to any pooled document.</summary>
    public JsonElement? Data { get; }

    /// <summary>The binary attachments, empty unless the packet is binary; the index is the placeholder <c>num</c>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }
}
