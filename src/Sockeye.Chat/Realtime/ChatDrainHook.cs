using Sockeye.Chat.Configuration;
using Sockeye.Chat.Operations;
using Sockeye.Hosting;

namespace Sockeye.Chat.Realtime;

/// <summary>
/// During shutdown, after new connections are refused and before sockets are closed: readiness goes false and the
/// messages being persisted finish, so their acknowledgements still reach the clients.
/// </summary>
internal sealed class ChatDrainHook(DrainState drain, ChatSettings settings) : IEngineDrainHook
{
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        drain.BeginDrain();
        await drain.WaitForIdleAsync(settings.ShutdownTimeout).ConfigureAwait(false);
    }
}
