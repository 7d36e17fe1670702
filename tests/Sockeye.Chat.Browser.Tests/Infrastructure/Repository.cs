namespace Sockeye.Chat.Browser.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder with <c>Sockeye.slnx</c>, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>src/Sockeye.Chat</c>: the service's content root, whose wwwroot holds the built client.</summary>
    public static string ChatProjectDirectory => Path.Combine(Root, "src", "Sockeye.Chat");

    /// <summary><c>.artifacts/screenshots</c>, where every test leaves a picture of what the user saw.</summary>
    public static string ScreenshotDirectory => Path.Combine(Root, ".artifacts", "screenshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sockeye.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Sockeye.slnx not found above {AppContext.BaseDirectory}.");
    }
}
