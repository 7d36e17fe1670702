namespace Sockeye.Redis.Internal;

/// <summary>The <c>type</c> of a message of the cluster protocol used by the sharded mode (PROTOCOL.md §4.4).</summary>
internal static class MessageTypes
{
    public const int Broadcast = 3;
    public const int SocketsJoin = 4;
    public const int SocketsLeave = 5;
    public const int DisconnectSockets = 6;
    public const int FetchSockets = 7;
    public const int FetchSocketsResponse = 8;
    public const int ServerSideEmit = 9;
    public const int ServerSideEmitResponse = 10;
    public const int BroadcastClientCount = 11;
    public const int BroadcastAck = 12;
}
