namespace Sockeye.LoadGenerator.Transport;

/// <summary>What a scenario does with the events of its <see cref="SocketIOClient"/>s and with sessions it lost.</summary>
internal interface ISocketIOClientObserver
{
    /// <summary>A server-to-client event (<c>42[...]</c>); the packet is only valid during the call.</summary>
    void OnEvent(SocketIOClient client, ReadOnlySpan<byte> packet);

    /// <summary>The session ended without the client ending it; called once per client.</summary>
    void OnLost(SocketIOClient client, string reason);
}
