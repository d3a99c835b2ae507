namespace RightSize.Cli.Tests;

/// <summary>An output that cannot be written: one line naming it, before any work is done.</summary>
public sealed class OutputErrorTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Train_OutIsAnExistingFile_FailsBeforeTrainingNamingOut()
    {
        var data = _sandbox.Data("train.jsonl", 30);
        var path = _sandbox.PathOf("taken");
        File.WriteAllText(path, "not a directory");

        var (code, output, err) = CliSandbox.Run("train", "--data", data, "--out", path);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.StartsWith($"error: {path}: --out cannot be used as the model directory: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("trained on", output, StringComparison.Ordinal);
        Assert.Equal("not a directory", File.ReadAllText(path));
    }

    [Fact]
    public void Score_WriteFailsMidway_OneLineNamingOutAndSayingTheFileIsPartial()
    {
        // /dev/full takes the open and refuses every write with ENOSPC, as a full disk does.
        Assert.SkipUnless(File.Exists("/dev/full"), "needs /dev/full (Linux)");
        using var model = new TrainedModel();
        var data = _sandbox.Data("dev.jsonl", 20);

        var (code, output, err) = CliSandbox.Run("score", "--data", data, "--model", model.Dir, "--out", "/dev/full");

        Assert.Equal(ExitCodes.BadData, code);
        Assert.StartsWith("error: /dev/full: --out could not be written (", err, StringComparison.Ordinal);
        Assert.EndsWith("); it holds only part of the scores", err.TrimEnd(), StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(string.Empty, output);
    }
}
