using RightSize.Classification.Models;

namespace RightSize.Cli.Output;

/// <summary>
/// Where <c>train</c> writes a model: a staging directory beside <c>--out</c>, moved into place by
/// rename once every file is written, so <c>--out</c> holds either the previous model or the new
/// one, never a mix or a truncated file (Ctrl-C, a full disk).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Prepare"/> runs before training and fails at once on an <c>--out</c> that cannot
/// take a model: a file, a directory holding anything but a model's files (it is replaced as a
/// whole), a directory that cannot be written, or a parent where the staging directory cannot be
/// made. A symbolic link to a directory is followed, so the link keeps pointing at the model.
/// </para>
/// <para>
/// Linux cannot rename a directory over a non-empty one, so <see cref="Commit"/> renames the
/// previous model aside, renames the staging directory in, then deletes the previous model (or
/// renames it back if the second rename fails). Between the two renames, microseconds apart,
/// <c>--out</c> does not exist; a process killed just then leaves the previous model in
/// <c>.NAME.previous-*</c> beside it. Until <see cref="Commit"/>, disposing deletes the staging
/// directory; a process killed while training leaves <c>.NAME.staging-*</c>, safe to delete.
/// </para>
/// </remarks>
internal sealed class StagedModelDirectory : IDisposable
{
    private static readonly string[] ModelFileNames = [ModelFiles.Model, ModelFiles.Manifest, ModelFiles.GoldenVectors];

    private readonly string _name;
    private bool _committed;

    private StagedModelDirectory(string target, string staging, string name)
    {
        Target = target;
        Path = staging;
        _name = name;
    }

    /// <summary>The model directory to replace (a symbolic link resolved).</summary>
    public string Target { get; }

    /// <summary>The staging directory to write the model files into.</summary>
    public string Path { get; }

    /// <summary>Checks <paramref name="outDir"/> and makes the staging directory beside it.</summary>
    /// <exception cref="IOException">The directory cannot take a model; the message names it as <c>--out</c>.</exception>
    public static StagedModelDirectory Prepare(string outDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        try
        {
            var target = Resolve(outDir);
            var parent = System.IO.Path.GetDirectoryName(target) ?? throw new IOException("it is the root directory");
            var name = System.IO.Path.GetFileName(target);
            if (File.Exists(target)) throw new IOException("it is a file");
            if (Directory.Exists(target))
            {
                CheckHoldsOnlyAModel(target);
                ProbeWrite(target); // the previous model is deleted after the swap
            }

            Directory.CreateDirectory(parent);
            var staging = Directory.CreateDirectory(System.IO.Path.Combine(parent, $".{name}.staging-{Suffix()}")).FullName;
            ProbeWrite(staging);
            return new StagedModelDirectory(target, staging, name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{outDir}: --out cannot be used as the model directory: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Moves the staged model into place. Returns a warning when the previous model could not be
    /// deleted afterwards (the new model is in place all the same), or null.
    /// </summary>
    public string? Commit()
    {
        if (_committed) throw new InvalidOperationException("The staged model was already committed or discarded.");
        foreach (var file in ModelFileNames) FlushToDisk(System.IO.Path.Combine(Path, file));
        if (!Directory.Exists(Target))
        {
            Directory.Move(Path, Target);
            _committed = true;
            return null;
        }

        var previous = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Target)!, $".{_name}.previous-{Suffix()}");
        Directory.Move(Target, previous);
        try
        {
            Directory.Move(Path, Target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Restore(previous, ex);
            throw;
        }

        _committed = true;
        try
        {
            Directory.Delete(previous, recursive: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"the new model is in {Target}, but the previous one could not be deleted from {previous}: {ex.Message}";
        }
    }

    /// <summary>Deletes the staging directory unless the model was committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        _committed = true;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the failure that got us here is the one to report.
        }
    }

    /// <summary>Puts the previous model back after a failed swap; if even that fails, says where it is.</summary>
    private void Restore(string previous, Exception swapFailure)
    {
        try
        {
            Directory.Move(previous, Target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{Target}: the new model could not be moved into place ({swapFailure.Message}), and the previous model could not be moved back: it is in {previous}", ex);
        }
    }

    private static string Resolve(string outDir)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(outDir));
        var info = new DirectoryInfo(full);
        if (info.LinkTarget is null) return full;
        return info.ResolveLinkTarget(returnFinalTarget: true) is DirectoryInfo { Exists: true } resolved
            ? System.IO.Path.TrimEndingDirectorySeparator(resolved.FullName)
            : throw new IOException($"it is a symbolic link to {info.LinkTarget}, which is not a directory");
    }

    private static void CheckHoldsOnlyAModel(string directory)
    {
        var other = Directory.EnumerateFileSystemEntries(directory)
            .Select(System.IO.Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(entry => !ModelFileNames.Contains(entry, StringComparer.Ordinal));
        if (other is not null)
        {
            throw new IOException($"it holds '{other}', which is not part of a model, and train replaces the whole directory; give a new or empty directory, or a model directory");
        }
    }

    private static void ProbeWrite(string directory)
    {
        var probe = System.IO.Path.Combine(directory, $".write-probe-{Suffix()}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
    }

    /// <summary>The bytes on disk before the rename that publishes them.</summary>
    private static void FlushToDisk(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    private static string Suffix() => System.IO.Path.GetFileNameWithoutExtension(System.IO.Path.GetRandomFileName());
}
