namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// A directory laid out as the kubelet mounts a ConfigMap or Secret with one file (by default
/// <c>appsettings.json</c>): <c>..2026_01_01_00_00_00.N/appsettings.json</c>, <c>..data</c> → that
/// directory, <c>appsettings.json</c> → <c>..data/appsettings.json</c>. An update writes a new
/// timestamped directory, points a new <c>..data_tmp</c> symlink at it, renames it over <c>..data</c>
/// (one atomic rename(2)) and deletes the old directory, as the kubelet's atomic writer does.
/// </summary>
public sealed class KubernetesConfigDirectory : IDisposable
{
    private readonly TempDirectory _root = new("rightsize-configmap-");
    private readonly string _fileName;
    private int _version;
    private string? _current;

    private KubernetesConfigDirectory(string fileName) => _fileName = fileName;

    public string Path => _root.Path;

    /// <summary>The mounted file's path (a symlink through <c>..data</c>).</summary>
    public string FilePath => _root.Combine(_fileName);

    public static KubernetesConfigDirectory Create(string contents, string fileName = "appsettings.json")
    {
        var directory = new KubernetesConfigDirectory(fileName);
        var first = directory.WriteVersion(contents);
        File.CreateSymbolicLink(directory._root.Combine("..data"), first);
        File.CreateSymbolicLink(directory.FilePath, System.IO.Path.Combine("..data", fileName));
        directory._current = first;
        return directory;
    }

    /// <summary>
    /// Replaces the file's contents the way a ConfigMap or Secret update does; null leaves the file
    /// out of the new version, so its symlink points at nothing (an update that dropped the key).
    /// </summary>
    public async Task SwapAsync(string? contents)
    {
        var next = WriteVersion(contents);
        var temporary = _root.Combine("..data_tmp");
        File.CreateSymbolicLink(temporary, next);
        var result = await Command.RunAsync("mv", ["-T", temporary, _root.Combine("..data")], TimeSpan.FromSeconds(10), _root.Path);
        Assert.True(result.ExitCode == 0, "rename of ..data_tmp over ..data failed: " + result.Describe());
        Directory.Delete(_root.Combine(_current!), recursive: true);
        _current = next;
    }

    public void Dispose() => _root.Dispose();

    private string WriteVersion(string? contents)
    {
        var name = $"..2026_01_01_00_00_00.{++_version:D9}";
        Directory.CreateDirectory(_root.Combine(name));
        if (contents is not null) File.WriteAllText(_root.Combine(name, _fileName), contents);
        return name;
    }
}
