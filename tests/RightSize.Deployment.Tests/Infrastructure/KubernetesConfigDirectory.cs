namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// A directory laid out as the kubelet mounts a ConfigMap: <c>..2026_01_01_00_00_00.N/appsettings.json</c>,
/// <c>..data</c> → that directory, <c>appsettings.json</c> → <c>..data/appsettings.json</c>. An update
/// writes a new timestamped directory, points a new <c>..data_tmp</c> symlink at it, renames it over
/// <c>..data</c> (one atomic rename(2)) and deletes the old directory, as the kubelet's atomic writer does.
/// </summary>
public sealed class KubernetesConfigDirectory : IDisposable
{
    private const string FileName = "appsettings.json";
    private readonly TempDirectory _root = new("rightsize-configmap-");
    private int _version;
    private string? _current;

    public string Path => _root.Path;

    public static KubernetesConfigDirectory Create(string json)
    {
        var directory = new KubernetesConfigDirectory();
        var first = directory.WriteVersion(json);
        File.CreateSymbolicLink(directory._root.Combine("..data"), first);
        File.CreateSymbolicLink(directory._root.Combine(FileName), System.IO.Path.Combine("..data", FileName));
        directory._current = first;
        return directory;
    }

    /// <summary>Replaces the file's contents the way a ConfigMap update does.</summary>
    public async Task SwapAsync(string json)
    {
        var next = WriteVersion(json);
        var temporary = _root.Combine("..data_tmp");
        File.CreateSymbolicLink(temporary, next);
        var result = await Command.RunAsync("mv", ["-T", temporary, _root.Combine("..data")], TimeSpan.FromSeconds(10), _root.Path);
        Assert.True(result.ExitCode == 0, "rename of ..data_tmp over ..data failed: " + result.Describe());
        Directory.Delete(_root.Combine(_current!), recursive: true);
        _current = next;
    }

    public void Dispose() => _root.Dispose();

    private string WriteVersion(string json)
    {
        var name = $"..2026_01_01_00_00_00.{++_version:D9}";
        Directory.CreateDirectory(_root.Combine(name));
        File.WriteAllText(_root.Combine(name, FileName), json);
        return name;
    }
}
