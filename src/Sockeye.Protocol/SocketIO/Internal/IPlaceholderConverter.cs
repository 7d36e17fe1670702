namespace Sockeye.Protocol.SocketIO.Internal;

/// <summary>Marks the converters added by <see cref="SocketJson.CreateOptions"/>, so the encoder can tell whether options have them.</summary>
internal interface IPlaceholderConverter;
