using System.Text.Json;
using Sockeye.Protocol.SocketIO;
using Sockeye.Redis.Internal;
using Sockeye.Redis.Internal.Wire;
using StackExchange.Redis;

namespace Sockeye.Redis;

/// <summary>
/// Sends events to the clients of a cluster from a process that is not a server (a worker, a scheduled job), through
/// Redis: compatible with <c>@socket.io/redis-emitter</c> 5.x, so it reaches Node servers as well as Sockeye ones
/// (PROTOCOL.md §4.3). Write-only: no acknowledgements, no <c>fetchSockets</c>.
/// </summary>
/// <example><code>
/// await using var emitter = new SocketIOEmitter("localhost:6379");
/// await emitter.To("room1").EmitAsync("news", new { title = "hello" });
/// await emitter.Of("/admin").SocketsJoinAsync("audit");
/// </code></example>
public sealed class SocketIOEmitter : IAsyncDisposable
{
    internal const string EmitterUid = "emitter";
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly SocketIOEmitterOptions _options;

    /// <summary>Creates an emitter on a connection of the application (not disposed with the emitter).</summary>
    public SocketIOEmitter(IConnectionMultiplexer redis, SocketIOEmitterOptions? options = null)
        : this(redis, ownsConnection: false, options ?? new SocketIOEmitterOptions(), "/")
    {
    }

    /// <summary>Creates an emitter with its own connection (a StackExchange.Redis configuration string or a <c>redis://</c> URL).</summary>
    public SocketIOEmitter(string configuration, SocketIOEmitterOptions? options = null)
        : this(ConnectionMultiplexer.Connect(RedisConfiguration.Parse(configuration)), ownsConnection: true, options ?? new SocketIOEmitterOptions(), "/")
    {
    }

    private SocketIOEmitter(IConnectionMultiplexer redis, bool ownsConnection, SocketIOEmitterOptions options, string nsp)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(options.Key);
        _redis = redis;
        _ownsConnection = ownsConnection;
        _options = options;
        Namespace = nsp;
        JsonOptions = SocketJson.CreateOptions(options.JsonSerializerOptions);
        var prefix = options.Key + "#" + nsp + "#";
        BroadcastPrefix = prefix;
        RequestChannel = RedisChannel.Literal(options.Key + "-request#" + nsp + "#");
        Operator = new SocketIOEmitterOperator(this, [], [], new Dictionary<string, object?>(StringComparer.Ordinal));
    }

    /// <summary>The namespace this emitter targets.</summary>
    public string Namespace { get; }

    internal JsonSerializerOptions JsonOptions { get; }

    internal string BroadcastPrefix { get; }

    internal RedisChannel RequestChannel { get; }

    internal SocketIOEmitterOperator Operator { get; }

    /// <summary>An emitter for another namespace, on the same connection.</summary>
    public SocketIOEmitter Of(string nsp)
    {
        ArgumentException.ThrowIfNullOrEmpty(nsp);
        return new SocketIOEmitter(_redis, ownsConnection: false, _options, nsp.StartsWith('/') ? nsp : "/" + nsp);
    }

    /// <inheritdoc cref="SocketIOEmitterOperator.To(string)"/>
    public SocketIOEmitterOperator To(string room) => Operator.To(room);

    /// <inheritdoc cref="SocketIOEmitterOperator.To(string)"/>
    public SocketIOEmitterOperator In(string room) => Operator.To(room);

    /// <inheritdoc cref="SocketIOEmitterOperator.Except(string)"/>
    public SocketIOEmitterOperator Except(string room) => Operator.Except(room);

    /// <inheritdoc cref="SocketIOEmitterOperator.Volatile"/>
    public SocketIOEmitterOperator Volatile => Operator.Volatile;

    /// <inheritdoc cref="SocketIOEmitterOperator.Compress(bool)"/>
    public SocketIOEmitterOperator Compress(bool compress) => Operator.Compress(compress);

    /// <inheritdoc cref="SocketIOEmitterOperator.EmitAsync(string, object?[])"/>
    public Task EmitAsync(string eventName, params object?[] args) => Operator.EmitAsync(eventName, args);

    /// <inheritdoc cref="SocketIOEmitterOperator.SocketsJoinAsync(string[])"/>
    public Task SocketsJoinAsync(params string[] rooms) => Operator.SocketsJoinAsync(rooms);

    /// <inheritdoc cref="SocketIOEmitterOperator.SocketsLeaveAsync(string[])"/>
    public Task SocketsLeaveAsync(params string[] rooms) => Operator.SocketsLeaveAsync(rooms);

    /// <inheritdoc cref="SocketIOEmitterOperator.DisconnectSocketsAsync(bool)"/>
    public Task DisconnectSocketsAsync(bool close = false) => Operator.DisconnectSocketsAsync(close);

    /// <summary>
    /// Sends an event to every server of the namespace (their <c>OnServerSideEmit</c> handlers, or <c>io.on(...)</c> in
    /// Node). No acknowledgement is possible from an emitter.
    /// </summary>
    /// <exception cref="ArgumentException">The event name is reserved.</exception>
    public Task ServerSideEmitAsync(string eventName, params object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(args);
        if (eventName is "connect" or "connection" or "new_namespace")
        {
            throw new ArgumentException($"'{eventName}' is a reserved event name.", nameof(eventName));
        }

        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["uid"] = EmitterUid,
            ["type"] = (long)RequestType.ServerSideEmit,
            ["data"] = (object?[])[eventName, .. WireValues.FromObjects(args, JsonOptions)],
        };
        return PublishAsync(RequestChannel, WireValues.EncodeMessage(request));
    }

    /// <summary>Closes the connection when the emitter made it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _redis.CloseAsync().ConfigureAwait(false);
            _redis.Dispose();
        }
    }

    internal Task PublishAsync(RedisChannel channel, byte[] message) => _redis.GetSubscriber().PublishAsync(channel, message);
}
