using Microsoft.Extensions.DependencyInjection;

namespace Sockeye.Hosting;

/// <summary>Returned by <c>AddSocketIO</c> so that extensions (an adapter, for example) can be chained.</summary>
public interface ISocketIOBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

/// <summary>The default builder.</summary>
internal sealed class SocketIOBuilder(IServiceCollection services) : ISocketIOBuilder
{
    public IServiceCollection Services { get; } = services;
}
