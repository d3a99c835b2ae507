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
}
