using System.Text.Json;
using Sockeye.Engine;

namespace Sockeye;

/// <summary>
/// Options of the Socket.IO server: the engine's (heartbeat, limits, transports, CORS) plus the Socket.IO layer's.
/// Defaults are the reference server's (socket.io 4.8).
/// </summary>
public class SocketIOOptions : EngineOptions
{
    /// <summary>How long a new connection may take to join a namespace before it is closed. Default 45 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The most binary attachments one packet may announce. Default 10, as the reference parser; a packet announcing
    /// more closes the connection with <c>parse error</c> before any attachment is buffered.
    /// </summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>
    /// The serializer settings for event arguments. Default: <see cref="JsonSerializerDefaults.Web"/> (camelCase
    /// properties, case-insensitive reads). Binary placeholders are added on top.
    /// </summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>Whether a dynamic child namespace is removed once its last socket leaves. Default <see langword="false"/>.</summary>
    public bool CleanupEmptyChildNamespaces { get; set; }

    /// <summary>
    /// The most server-to-client acknowledgements one socket may have outstanding. Default 1,000.
    /// </summary>
    /// <remarks>Beyond it <c>EmitWithAckAsync</c> fails at once with <see cref="InvalidOperationException"/> instead of
    /// growing the table of a client that never answers.</remarks>
    public int MaxPendingAcks { get; set; } = 1000;

    /// <summary>The most dynamic child namespaces created. Default 1,000.</summary>
    /// <remarks>Beyond it a CONNECT to a new matching name gets <c>Invalid namespace</c>: clients cannot make the
    /// server grow without bound by inventing names.</remarks>
    public int MaxDynamicNamespaces { get; set; } = 1000;

    /// <summary>The most rooms one socket may be in, its own included. Default 1,000.</summary>
    /// <remarks>Beyond it <see cref="Socket.Join(string)"/> throws <see cref="InvalidOperationException"/>.</remarks>
    public int MaxRoomsPerSocket { get; set; } = 1000;

    /// <summary>
    /// Connection state recovery; <see langword="null"/> (the default) disables it, as in the reference server.
    /// </summary>
    public Recovery.ConnectionStateRecoveryOptions? ConnectionStateRecovery { get; set; }

    /// <inheritdoc/>
    public override string? Validate()
    {
        if (base.Validate() is { } failure) return failure;
        if (ConnectTimeout <= TimeSpan.Zero) return "ConnectTimeout must be positive.";
        if (MaxAttachments < 0) return "MaxAttachments must not be negative.";
        if (MaxPendingAcks < 1) return "MaxPendingAcks must be at least 1.";
        if (MaxDynamicNamespaces < 0) return "MaxDynamicNamespaces must not be negative.";
        if (MaxRoomsPerSocket < 1) return "MaxRoomsPerSocket must be at least 1.";
        if (ConnectionStateRecovery is { } recovery && (recovery.MaxDisconnectionDuration <= TimeSpan.Zero || recovery.MaxPackets < 1))
        {
            return "ConnectionStateRecovery needs a positive MaxDisconnectionDuration and MaxPackets.";
        }

        return null;
    }
}
