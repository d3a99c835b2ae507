using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace RightSize.Gateway.Hosting;

/// <summary>
/// Puts the host's reloadable JSON files (<c>appsettings.json</c> and <c>appsettings.{Environment}.json</c>
/// in the content root) under <see cref="ConfigDirectoryProvider"/>, as the configuration directory
/// is. The framework's JSON provider empties its keys when a reload finds the file malformed or
/// gone, logs nothing, and raises a reload for every file-system event (two for one save); this one
/// keeps the last contents that parsed, logs a rejected file, and reloads once per change of bytes.
/// <see cref="Remove"/> lets <c>--config-dir</c> take over a content-root file that is its own, so
/// no file is polled twice.
/// </summary>
internal static class ContentRootJsonFiles
{
    public static void KeepLastGood(IConfigurationBuilder configuration)
    {
        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (FileOf(sources[i]) is { } file) sources[i] = new ConfigDirectorySource(file);
        }
    }

    /// <summary>
    /// Removes the reloadable JSON sources that read <paramref name="file"/> (the same full path,
    /// or the same file through a symlink), so that a source added for it again is the only one.
    /// </summary>
    public static void Remove(IConfigurationBuilder configuration, string file)
    {
        var sources = configuration.Sources;
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (FileOf(sources[i]) is { } other && SameFile(other, file)) sources.RemoveAt(i);
        }
    }

    private static string? FileOf(IConfigurationSource source) =>
        source is JsonConfigurationSource { ReloadOnChange: true, FileProvider: PhysicalFileProvider files, Path: { Length: > 0 } path }
            ? Path.GetFullPath(Path.Combine(files.Root, path))
            : null;

    private static bool SameFile(string a, string b)
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return string.Equals(Resolved(a), Resolved(b), comparison);
    }

    /// <summary>The full path with every symlink on the way resolved (the directories' too); the path itself when nothing is there.</summary>
    private static string Resolved(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (directory is null) return full;
        var resolvedDirectory = Directory.Exists(directory) ? Resolved(new DirectoryInfo(directory)) : directory;
        var file = Path.Combine(resolvedDirectory, Path.GetFileName(full));
        return File.Exists(file) && new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : file;
    }

    private static string Resolved(DirectoryInfo directory)
    {
        var parent = directory.Parent is { } up ? Resolved(up) : null;
        var here = parent is null ? directory.FullName : Path.Combine(parent, directory.Name);
        return new DirectoryInfo(here).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? here;
    }
}
