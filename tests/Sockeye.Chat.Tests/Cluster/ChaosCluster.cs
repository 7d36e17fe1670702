using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Sockeye.Chat.Tests.Infrastructure;
using Sockeye.Redis.Tests.Infrastructure;
using Sockeye.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sockeye.Chat.Tests.Cluster;

/// <summary>
/// What the chaos tests share: chat instances on one PostgreSQL database and one Redis, all started for the test and
/// stopped after it, configured so the load itself is never what gets refused; and a driver script read line by line.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly Action<Dictionary<string, string>>? _configure;
    private string _databaseUrl = string.Empty;

    private ChaosCluster(Action<Dictionary<string, string>>? configure) => _configure = configure;

    public PostgresServer Postgres { get; } = new();

    public RedisServer Redis { get; } = new();

    /// <summary>The running instances; a test that replaces one puts the replacement in its place.</summary>
    public List<ChatProcess> Instances { get; } = [];

    /// <summary>The connection string of the instances' database.</summary>
    public string Database { get; private set; } = string.Empty;

    /// <summary>
    /// Starts PostgreSQL, Redis and one instance per name: the first alone (it applies the migrations), the others
    /// side by side. <paramref name="configure"/> adjusts every instance's settings.
    /// </summary>
    public static async Task<ChaosCluster> StartAsync(string testClass, IReadOnlyList<string> names, Action<Dictionary<string, string>>? configure = null)
    {
        var cluster = new ChaosCluster(configure);
        await Task.WhenAll(cluster.Postgres.InitializeAsync(), cluster.Redis.InitializeAsync());
        var database = PostgresServer.DatabaseName(testClass);
        cluster.Database = await cluster.Postgres.CreateDatabaseAsync(database);
        cluster._databaseUrl = cluster.Postgres.Url(database);
        cluster.Instances.Add(await cluster.StartInstanceAsync(names[0]));
        cluster.Instances.AddRange(await Task.WhenAll(names.Skip(1).Select(cluster.StartInstanceAsync)));
        return cluster;
    }

    /// <summary>Starts one more instance on the cluster's database and Redis (not added to <see cref="Instances"/>).</summary>
    public Task<ChatProcess> StartInstanceAsync(string name)
    {
        var settings = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = _databaseUrl,
            ["REDIS_URL"] = $"redis://127.0.0.1:{Redis.Port.ToString(CultureInfo.InvariantCulture)}",
            ["JWT_SIGNING_KEY"] = _signingKey,
            ["DEV_LOGIN"] = "true",
            ["CLUSTER_INSTANCE_TIMEOUT_MS"] = "3000",
            ["HANDSHAKES_PER_IP_PER_SECOND"] = "1000",
            ["RATE_LIMIT_PER_SECOND"] = "100",
            ["RATE_LIMIT_BURST"] = "100",
            ["MAX_CONNECTIONS_PER_USER"] = "50",
        };
        _configure?.Invoke(settings);
        return ChatProcess.StartAsync(name, settings);
    }

    /// <summary>The instances' addresses, as the driver scripts take them.</summary>
    public JsonArray Urls() => [.. Instances.Select(i => (JsonNode)i.BaseAddress.ToString())];

    /// <summary>
    /// Reads the driver's lines until <paramref name="eventName"/>, writing the others to the test output; an
    /// <c>error</c> line fails the test with the instances' last log lines.
    /// </summary>
    public async Task<JsonElement> ExpectAsync(NodeScript script, string eventName, TimeSpan timeout, ITestOutputHelper output)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var line = await script.ReadAsync(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (deadline - DateTime.UtcNow).Ticks)));
            var name = line.GetProperty("event").GetString();
            if (name == eventName)
            {
                return line;
            }

            if (name == "error")
            {
                Assert.Fail($"The driver failed: {line}\n{Logs()}");
            }

            output.WriteLine(line.ToString());
        }
    }

    /// <summary>Every stored message, read without pooling (a test may have restarted PostgreSQL under the pool).</summary>
    public async Task<List<StoredMessage>> StoredMessagesAsync()
    {
        var rows = new List<StoredMessage>();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, room, seq, message_id FROM messages ORDER BY room, seq", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3)));
        }

        return rows;
    }

    /// <summary>Every room's messages as [seq, id] pairs in seq order, as the driver scripts compare them.</summary>
    public static JsonObject Truth(IEnumerable<StoredMessage> rows)
    {
        var truth = new JsonObject();
        foreach (var room in rows.GroupBy(r => r.Room))
        {
            truth[room.Key] = new JsonArray([.. room.OrderBy(r => r.Seq).Select(r => (JsonNode)new JsonArray(r.Seq, r.Id))]);
        }

        return truth;
    }

    /// <summary>The last 40 log lines of every instance.</summary>
    public string Logs() =>
        string.Join("\n", Instances.Select(i => $"--- {i.Name}\n{string.Join('\n', i.Output.Split('\n').TakeLast(40))}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

/// <summary>A row of the messages table, as the chaos tests compare it.</summary>
internal sealed record StoredMessage(long Id, string Room, long Seq, Guid MessageId);
