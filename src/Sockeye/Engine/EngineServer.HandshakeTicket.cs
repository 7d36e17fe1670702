namespace Sockeye.Engine;

public sealed partial class EngineServer
{
    // Handshakes and upgrades between their first check and their session's registration.
    private int _handshakesInFlight;

    /// <summary>
    /// One handshake counted against <see cref="EngineOptions.MaxConcurrentHandshakes"/> until released; releasing
    /// twice counts once, so every exit path may release it.
    /// </summary>
    private sealed class HandshakeTicket
    {
        private readonly EngineServer _server;
        private int _released;

        private HandshakeTicket(EngineServer server) => _server = server;

        public static bool TryTake(EngineServer server, out HandshakeTicket? ticket)
        {
            if (Interlocked.Increment(ref server._handshakesInFlight) > server.Options.MaxConcurrentHandshakes)
            {
                Interlocked.Decrement(ref server._handshakesInFlight);
                ticket = null;
                return false;
            }

            ticket = new HandshakeTicket(server);
            return true;
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref _server._handshakesInFlight);
            }
        }
    }
}
