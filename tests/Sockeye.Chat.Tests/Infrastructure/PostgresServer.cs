using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Sockeye.Chat.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL from Debian's <c>postgresql</c> binaries (<c>initdb</c> + <c>pg_ctl</c>) in a temporary folder,
/// listening on 127.0.0.1 on a free port. One server serves every test in <see cref="PostgresCollectionDefinition"/>; each test
/// class gets its own database.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so as root the folder is handed to the <c>postgres</c> user and the binaries
/// run through <c>runuser</c>. fsync is off (<c>-F</c>): the data is thrown away with the folder.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private readonly ConcurrentDictionary<string, Task<string>> _databases = new(StringComparer.Ordinal);
    private string _binaries = string.Empty;
    private string _folder = string.Empty;
    private bool _started;

    /// <summary>The port the server listens on.</summary>
    public int Port { get; private set; }

    private string DataFolder => Path.Combine(_folder, "data");

    private static bool IsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries();
        _folder = Directory.CreateTempSubdirectory("sockeye-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", [SuperUser, _folder]);
        }

        await RunPostgresAsync("initdb", ["-D", DataFolder, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

        // A free port can be taken between the probe and the start: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await StartAsync();
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Starts the server (again) on <see cref="Port"/> with the same data folder, and waits until it accepts connections.
    /// </summary>
    public async Task StartAsync()
    {
        await RunPostgresAsync("pg_ctl",
        [
            "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-k {_folder} -p {Port} -c listen_addresses=127.0.0.1 -c max_connections=300 -F",
            "start",
        ]);
        _started = true;
    }

    /// <summary>
    /// Stops the server to play an outage (fast shutdown: open sessions are terminated, clients are refused until
    /// <see cref="StartAsync"/>). The data stays.
    /// </summary>
    public async Task StopAsync()
    {
        await RunPostgresAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "30", "stop"]);
        _started = false;
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        var admin = ConnectionString("postgres");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>The database of a test class, created on first use; returns its connection string.</summary>
    public Task<string> DatabaseForAsync(Type testClass)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        return _databases.GetOrAdd(testClass.FullName!, name => CreateDatabaseAsync(DatabaseName(name)));
    }

    /// <summary>A <c>postgres://</c> URL for the same server, as hosting platforms hand out <c>DATABASE_URL</c>.</summary>
    public string Url(string database) => $"postgres://{SuperUser}@127.0.0.1:{Port}/{database}";

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            try
            {
                await RunPostgresAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "30", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Best effort: the folder goes anyway.
            }
        }

        if (_folder.Length > 0 && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A lowercase identifier unique to <paramref name="testClass"/>, within PostgreSQL's 63 bytes.</summary>
    public static string DatabaseName(string testClass)
    {
        var name = new string([.. testClass.Split('.')[^1].ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        return $"{name[..Math.Min(name.Length, 50)]}_{suffix}";
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        MaxPoolSize = 60,
    }.ConnectionString;

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .ToArray()
            : [];
        return versions.Length > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException(
                "PostgreSQL binaries not found under /usr/lib/postgresql: apt-get install -y --no-install-recommends postgresql (scripts/test.sh does).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binaries, tool);
        return IsRoot ? RunAsync("runuser", ["-u", SuperUser, "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}

/// <summary>The tests that share one <see cref="PostgresServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
