namespace Sockeye.Redis.Tests.Infrastructure;

public static class Paths
{
    /// <summary>tests/interop, where the Node scripts and their node_modules are.</summary>
    public static string Interop { get; } = FindInterop();

    private static string FindInterop()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                if (!Directory.Exists(Path.Combine(candidate, "node_modules")))
                {
                    throw new InvalidOperationException($"{candidate}/node_modules is missing: run `npm ci` there (the test command does).");
                }

                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/interop not found above " + AppContext.BaseDirectory);
    }
}
