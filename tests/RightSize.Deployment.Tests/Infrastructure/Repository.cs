namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>Paths in the repository under test, found by walking up to <c>RightSize.sln</c>.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RightSize.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"No RightSize.sln above {AppContext.BaseDirectory}.");
    }
}
