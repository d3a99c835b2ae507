using System.Diagnostics;

namespace RightSize.Cli.Tests;

/// <summary>
/// Makes a file or directory unwritable for the test process, and writable again on dispose:
/// by its permission bits, or, for root (whom permission bits do not stop), by the immutable
/// attribute (<c>chattr +i</c>). Skips the test where neither works.
/// </summary>
public sealed class Unwritable : IDisposable
{
    private readonly string _path;
    private readonly UnixFileMode _mode;
    private readonly bool _immutable;

    public Unwritable(string path)
    {
        _path = path;
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix permissions");
            return;
        }

        _mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, _mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        if (CanWrite(path))
        {
            _immutable = Chattr("+i", path);
            if (!_immutable || CanWrite(path))
            {
                Dispose();
                Assert.Skip($"cannot make {path} unwritable here (root without chattr +i?)");
            }
        }
    }

    public void Dispose()
    {
        if (OperatingSystem.IsWindows()) return;
        if (_immutable) Chattr("-i", _path);
        File.SetUnixFileMode(_path, _mode);
    }

    private static bool CanWrite(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                var probe = Path.Combine(path, ".probe");
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
            else
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no chattr
        }
    }
}
