using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Sockeye.Chat.Tests.Infrastructure;
using Sockeye.Redis.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>
/// The deployment of <c>deploy/docker-compose.yml</c> as processes on loopback: a real PostgreSQL and a real
/// <c>redis-server</c>, three chat instances (A, B, C) in processes of their own sharing both, and a real nginx running
/// <c>deploy/nginx.conf</c> in front of them.
/// </summary>
/// <remarks>
/// nginx is sticky by client address, and every test client runs on this machine: clients that should reach different
/// instances through nginx connect from different 127.0.0.0/8 addresses. <see cref="InitializeAsync"/> asks nginx where
/// each of a range of addresses goes, and <see cref="AddressesFor"/> hands them out per instance.
/// </remarks>
public sealed class ChatClusterFixture : IAsyncLifetime
{
    /// <summary>How long an instance may stay silent before the others remove its presence (short, for the tests).</summary>
    public static readonly TimeSpan InstanceTimeout = TimeSpan.FromSeconds(3);

    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly Dictionary<int, List<IPAddress>> _addresses = [];
    private string _databaseUrl = string.Empty;

    public PostgresServer Postgres { get; } = new();

    public RedisServer Redis { get; } = new();

    public ChatProcess A { get; private set; } = null!;

    public ChatProcess B { get; private set; } = null!;

    public ChatProcess C { get; private set; } = null!;

    public IReadOnlyList<ChatProcess> Instances => [A, B, C];

    public NginxServer Nginx { get; private set; } = null!;

    /// <summary>REDIS_URL as the instances get it.</summary>
    public string RedisUrl => $"redis://127.0.0.1:{Redis.Port.ToString(CultureInfo.InvariantCulture)}";

    public async Task InitializeAsync()
    {
        try
        {
            await Task.WhenAll(Postgres.InitializeAsync(), Redis.InitializeAsync());
            var database = PostgresServer.DatabaseName(nameof(ChatClusterFixture));
            await Postgres.CreateDatabaseAsync(database);
            _databaseUrl = Postgres.Url(database);

            // The first instance applies the migrations; the others then start side by side.
            A = await StartInstanceAsync("A");
            var b = StartInstanceAsync("B");
            var c = StartInstanceAsync("C");
            try
            {
                await Task.WhenAll(b, c);
            }
            finally
            {
                B = b.IsCompletedSuccessfully ? b.Result : null!;
                C = c.IsCompletedSuccessfully ? c.Result : null!;
            }

            Nginx = await NginxServer.StartAsync([A.Port, B.Port, C.Port]);
            await MapAddressesAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more instance sharing the database, Redis and signing key.</summary>
    public Task<ChatProcess> StartInstanceAsync(string name) => ChatProcess.StartAsync(name, new Dictionary<string, string>
    {
        ["DATABASE_URL"] = _databaseUrl,
        ["REDIS_URL"] = RedisUrl,
        ["JWT_SIGNING_KEY"] = _signingKey,
        ["DEV_LOGIN"] = "true",
        ["CLUSTER_INSTANCE_TIMEOUT_MS"] = ((int)InstanceTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ["HANDSHAKES_PER_IP_PER_SECOND"] = "200",
        ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
    });

    /// <summary>A token any instance accepts.</summary>
    public Task<string> TokenAsync(string username) => A.TokenAsync(username);

    /// <summary>Client addresses that nginx sends to <paramref name="instance"/> (while every instance is up).</summary>
    public IReadOnlyList<string> AddressesFor(ChatProcess instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return [.. _addresses[instance.Port].Select(a => a.ToString())];
    }

    /// <summary>Diagnostics for a failure message: every process's output.</summary>
    public string Logs() => string.Join(
        "\n",
        Instances.Where(i => i is not null).Select(i => $"--- instance {i.Name}\n{i.Output}").Append($"--- nginx\n{Nginx?.Log}"));

    public async Task DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        foreach (var instance in new[] { A, B, C })
        {
            if (instance is not null)
            {
                await instance.DisposeAsync();
            }
        }

        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <summary>Asks nginx where 127.0.0.2, 127.0.0.3, ... go until every instance has three addresses.</summary>
    private async Task MapAddressesAsync()
    {
        foreach (var instance in Instances)
        {
            _addresses[instance.Port] = [];
        }

        for (var last = 2; last < 250 && _addresses.Values.Any(a => a.Count < 3); last++)
        {
            var address = new IPAddress([127, 0, 0, (byte)last]);
            _addresses[await Nginx.UpstreamPortForAsync(address)].Add(address);
        }

        Assert.All(_addresses.Values, a => Assert.True(a.Count >= 3, "nginx sends too few client addresses to one of the instances."));
    }
}
