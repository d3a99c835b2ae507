namespace RightSize.Cli.Tests;

/// <summary>Rows that repeat an id get one warning with a count, on every verb that reads data.</summary>
public sealed class DuplicateIdTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Train_SameFileTwice_OneWarningWithTheCount()
    {
        var data = _sandbox.Data("t.jsonl", 30);

        var (code, _, err) = CliSandbox.Run("train", "--data", data, "--data", data, "--out", _sandbox.PathOf("m"), "--epochs", "1");

        Assert.True(code == 0, err);
        var warning = Assert.Single(err.Split('\n'), line => line.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Equal($"warning: 30 of 60 rows repeat an id seen before (such as 'r0' at {data}:1 and {data}:1); each copy counts as a row of its own.", warning);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("score")]
    [InlineData("calibrate")]
    public void Verb_RepeatedId_Warns(string verb)
    {
        var data = _sandbox.Data("d.jsonl", 12);
        File.AppendAllLines(data, [File.ReadAllLines(data)[4]]);
        string[] args = verb switch
        {
            "score" => ["score", "--data", data, "--model", trained.Dir, "--out", _sandbox.PathOf("s.jsonl")],
            "calibrate" => ["calibrate", "--data", data, "--model", trained.Dir, "--quality", "0.5"],
            _ => ["eval", "--data", data, "--model", trained.Dir],
        };

        var (code, _, err) = CliSandbox.Run(args);

        Assert.True(code == 0, err);
        Assert.Contains($"warning: 1 of 13 rows repeat an id seen before (such as 'r4' at {data}:5 and {data}:13); each copy counts as a row of its own.", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_FilesWithoutIds_NoWarning()
    {
        // Rows without an id are known by their line number, which two files share.
        var first = _sandbox.PathOf("a.jsonl");
        var second = _sandbox.PathOf("b.jsonl");
        var lines = File.ReadAllLines(_sandbox.Data("t.jsonl", 30)).Select(line => System.Text.RegularExpressions.Regex.Replace(line, "\"id\":\"r\\d+\",", string.Empty)).ToArray();
        File.WriteAllLines(first, lines[..15]);
        File.WriteAllLines(second, lines[15..]);

        var (code, _, err) = CliSandbox.Run("train", "--data", first, "--data", second, "--out", _sandbox.PathOf("m"), "--epochs", "1");

        Assert.True(code == 0, err);
        Assert.DoesNotContain("warning", err, StringComparison.Ordinal);
    }
}
