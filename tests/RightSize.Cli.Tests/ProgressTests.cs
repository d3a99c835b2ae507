using System.Text.Json;

namespace RightSize.Cli.Tests;

/// <summary>
/// Progress goes to stderr, and only when stderr is a terminal: a redirected stdout holds only
/// the result. The display redraws on every report (not on a timer), and scoring reports every
/// 256 rows, so 600 rows certainly report progress twice before the end, however fast they go.
/// </summary>
public sealed class ProgressTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Eval_Redirected_StdoutIsOnlyTheJsonAndNoProgressIsDrawn()
    {
        var (code, output, err) = CliSandbox.Run("eval", "--data", _sandbox.Data("d.jsonl", 600), "--model", trained.Dir, "--json");

        Assert.True(code == 0, err);
        using var figures = JsonDocument.Parse(output); // a progress line before the JSON would fail here
        Assert.Equal(JsonValueKind.Object, figures.RootElement.ValueKind);
        Assert.DoesNotContain("scoring", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_StderrIsATerminal_ProgressOnStderrAndStdoutIsOnlyTheJson()
    {
        var (code, output, err) = CliSandbox.Run(errorIsTerminal: true, "eval", "--data", _sandbox.Data("d.jsonl", 600), "--model", trained.Dir, "--json");

        Assert.True(code == 0, err);
        using var figures = JsonDocument.Parse(output);
        Assert.Contains("scoring", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_Redirected_NoProgressOnEitherStream()
    {
        var (code, output, err) = CliSandbox.Run("train", "--data", _sandbox.Data("t.jsonl", 60), "--out", _sandbox.PathOf("m"), "--epochs", "2");

        Assert.True(code == 0, err);
        Assert.StartsWith("trained on ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("epochs", output + err, StringComparison.Ordinal);
        Assert.DoesNotContain("features", output + err, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_StderrIsATerminal_ProgressOnStderrOnly()
    {
        var (code, output, err) = CliSandbox.Run(errorIsTerminal: true, "train", "--data", _sandbox.Data("t.jsonl", 60), "--out", _sandbox.PathOf("m"), "--epochs", "2");

        Assert.True(code == 0, err);
        Assert.StartsWith("trained on ", output, StringComparison.Ordinal);
        Assert.Contains("epochs", err, StringComparison.Ordinal);
    }
}
