namespace RightSize.Classification.Tests;

/// <summary>A directory under the system temp path, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rightsize-classification-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// A file that exists but cannot be read, whoever runs the test (root reads through chmod 000):
    /// a link to /proc/self/mem, whose first bytes (address 0, never mapped) fail with an I/O
    /// error. Linux only; the test is skipped elsewhere.
    /// </summary>
    public string UnreadableFile(string name)
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("needs /proc/self/mem");
        var path = File(name);
        System.IO.File.CreateSymbolicLink(path, "/proc/self/mem");
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a test host still holding a file must not fail the test.
        }
    }
}
