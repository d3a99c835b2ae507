using RightSize.Cli.Output;

namespace RightSize.Cli.Tests;

/// <summary>The model is written beside <c>--out</c> and swapped in whole: never a mix of two models, never a truncated file in place.</summary>
public sealed class StagedModelDirectoryTests : IDisposable
{
    private static readonly string[] ModelFiles = ["golden.jsonl", "manifest.json", "model.onnx"];

    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private string Model(string name, string content)
    {
        var dir = Directory.CreateDirectory(_sandbox.PathOf(name)).FullName;
        foreach (var file in ModelFiles) File.WriteAllText(Path.Combine(dir, file), content);
        return dir;
    }

    private static void WriteModel(string dir, string content)
    {
        foreach (var file in ModelFiles) File.WriteAllText(Path.Combine(dir, file), content);
    }

    private string[] Entries() => [.. Directory.EnumerateFileSystemEntries(_sandbox.Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Commit_NewDirectory_AppearsWholeAndNothingIsLeftBeside()
    {
        var target = _sandbox.PathOf("m");
        using var staged = StagedModelDirectory.Prepare(target);
        Assert.False(Directory.Exists(target), "nothing at --out before the commit");
        WriteModel(staged.Path, "new");

        Assert.Null(staged.Commit());

        Assert.All(ModelFiles, file => Assert.Equal("new", File.ReadAllText(Path.Combine(target, file))));
        Assert.Equal(["m"], Entries());
    }

    [Fact]
    public void Commit_ExistingModel_ReplacedWholeAndNothingIsLeftBeside()
    {
        var target = Model("m", "old");
        using var staged = StagedModelDirectory.Prepare(target);
        WriteModel(staged.Path, "new");

        Assert.Null(staged.Commit());

        Assert.All(ModelFiles, file => Assert.Equal("new", File.ReadAllText(Path.Combine(target, file))));
        Assert.Equal(["m"], Entries());
    }

    [Fact]
    public void Dispose_FailureWhileWriting_PreviousModelUntouchedAndStagingRemoved()
    {
        var target = Model("m", "old");
        var staged = StagedModelDirectory.Prepare(target);
        File.WriteAllText(Path.Combine(staged.Path, "model.onnx"), string.Empty); // the write stopped here (Ctrl-C, a full disk)

        staged.Dispose();

        Assert.All(ModelFiles, file => Assert.Equal("old", File.ReadAllText(Path.Combine(target, file))));
        Assert.Equal(["m"], Entries());
    }

    [Fact]
    public void Prepare_DirectoryHoldingOtherFiles_RefusedNamingOneAndNothingChanges()
    {
        var target = Model("models", "old");
        File.WriteAllText(Path.Combine(target, "notes.txt"), "mine");

        var ex = Assert.Throws<IOException>(() => StagedModelDirectory.Prepare(target));

        Assert.StartsWith($"{target}: --out cannot be used as the model directory: it holds 'notes.txt', which is not part of a model", ex.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "notes.txt")));
        Assert.Equal(["models"], Entries());
    }

    [Fact]
    public void Prepare_UnwritableModelDirectory_Refused()
    {
        var target = Model("m", "old");
        using var locked = new Unwritable(target);

        var ex = Assert.Throws<IOException>(() => StagedModelDirectory.Prepare(target));

        Assert.StartsWith($"{target}: --out cannot be used as the model directory: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["m"], Entries());
    }

    [Fact]
    public void Commit_SymbolicLinkToAModel_LinkKeptAndItsTargetReplaced()
    {
        var real = Model("v1", "old");
        var link = _sandbox.PathOf("current");
        Directory.CreateSymbolicLink(link, real);

        using (var staged = StagedModelDirectory.Prepare(link))
        {
            WriteModel(staged.Path, "new");
            staged.Commit();
        }

        Assert.Equal(real, new DirectoryInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(Path.Combine(link, "manifest.json")));
        Assert.Equal(["current", "v1"], Entries());
    }
}
