namespace Sockeye.Adapters;

/// <summary>Creates the adapter of each namespace. Register one in DI to replace the in-memory default.</summary>
public interface ISocketAdapterFactory
{
    /// <summary>Creates the adapter of <paramref name="nsp"/>.</summary>
    ISocketAdapter Create(SocketNamespace nsp);
}

/// <summary>The default factory: every namespace gets an <see cref="InMemoryAdapter"/>.</summary>
public sealed class InMemoryAdapterFactory : ISocketAdapterFactory
{
    /// <inheritdoc/>
    public ISocketAdapter Create(SocketNamespace nsp) => new InMemoryAdapter(nsp);
}
