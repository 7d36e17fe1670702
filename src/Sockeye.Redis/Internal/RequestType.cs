namespace Sockeye.Redis.Internal;

/// <summary>The <c>type</c> of a request or response between nodes (PROTOCOL.md §4.2).</summary>
internal static class RequestType
{
    public const int Sockets = 0;
    public const int AllRooms = 1;
    public const int RemoteJoin = 2;
    public const int RemoteLeave = 3;
    public const int RemoteDisconnect = 4;
    public const int RemoteFetch = 5;
    public const int ServerSideEmit = 6;
    public const int Broadcast = 7;
    public const int BroadcastClientCount = 8;
    public const int BroadcastAck = 9;
}
