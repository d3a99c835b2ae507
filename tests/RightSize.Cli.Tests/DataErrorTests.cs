namespace RightSize.Cli.Tests;

/// <summary>Bad data files: exit code 2 and one line naming the file, and the line where there is one.</summary>
public sealed class DataErrorTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\t\n")]
    public void Train_DataFileWithoutRows_NamesFileAndBadDataExitCode(string content)
    {
        var path = _sandbox.PathOf("empty.jsonl");
        File.WriteAllText(path, content);
        var (code, _, err) = CliSandbox.Run("train", "--data", path, "--out", _sandbox.PathOf("m"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}: no rows", err.Trim());
    }

    [Fact]
    public void Eval_MalformedJson_OneLineWithTheFileLineAndByteOnly()
    {
        var path = _sandbox.PathOf("bad.jsonl");
        File.WriteAllLines(path, [File.ReadAllLines(_sandbox.Data("ok.jsonl", 1))[0], "{oops"]);

        var (code, _, err) = CliSandbox.Run("eval", "--data", path, "--model", trained.Dir);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}:2: malformed JSON at byte 2: 'o' is an invalid start of a property name. Expected a '\"'.", err.Trim());
    }

    [Fact]
    public void Train_EvalFileWithoutRows_NamesFileAndBadDataExitCode()
    {
        var eval = _sandbox.PathOf("eval.jsonl");
        File.WriteAllText(eval, string.Empty);
        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--eval", eval, "--out", _sandbox.PathOf("m"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {eval}: no rows", err.Trim());
    }

    [Fact]
    public void Train_ScoreOutOfRange_NamesFileAndLine()
    {
        var path = _sandbox.PathOf("big.jsonl");
        File.WriteAllLines(path, [File.ReadAllLines(_sandbox.Data("ok.jsonl", 1))[0], """{"id":"x","messages":[{"role":"user","content":"q"}],"scores":{"m":1e400,"f":1},"tiers":{"mid":"m","frontier":"f"}}"""]);
        var (code, _, err) = CliSandbox.Run("train", "--data", path, "--out", _sandbox.PathOf("m"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}:2: the score of 'm' must be between 0 and 1 (got 1e400)", err.Trim());
    }

    [Fact]
    public void Eval_ScoreOutOfRange_NamesFileAndLine()
    {
        var path = _sandbox.PathOf("big.jsonl");
        File.WriteAllLines(path, [File.ReadAllLines(_sandbox.Data("ok.jsonl", 1))[0], """{"id":"x","messages":[{"role":"user","content":"q"}],"scores":{"m":1,"f":1e400},"tiers":{"mid":"m","frontier":"f"}}"""]);
        var (code, _, err) = CliSandbox.Run("eval", "--data", path, "--model", trained.Dir);
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}:2: the score of 'f' must be between 0 and 1 (got 1e400)", err.Trim());
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("score")]
    [InlineData("calibrate")]
    public void Verb_BlankDataFile_NamesFileNoRows(string verb)
    {
        var path = _sandbox.PathOf("blank.jsonl");
        File.WriteAllText(path, "\n   \n");
        string[] args = verb switch
        {
            "score" => ["score", "--data", path, "--model", trained.Dir, "--out", _sandbox.PathOf("s.jsonl")],
            "calibrate" => ["calibrate", "--data", path, "--model", trained.Dir, "--quality", "0.9"],
            _ => ["eval", "--data", path, "--model", trained.Dir],
        };

        var (code, _, err) = CliSandbox.Run(args);
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}: no rows", err.Trim());
    }

    [Fact]
    public void Score_TierNameWithALineBreak_ErrorStaysOnOneLine()
    {
        var path = _sandbox.PathOf("break.jsonl");
        File.WriteAllText(path, """{"id":"x","messages":[{"role":"user","content":"q"}],"scores":{"a":1},"tiers":{"hu\nge":"a"}}""" + "\n");

        var (code, _, err) = CliSandbox.Run("score", "--data", path, "--model", trained.Dir, "--out", _sandbox.PathOf("s.jsonl"));

        Assert.Equal(ExitCodes.BadData, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith($"error: {path}:1: unknown tier", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_NoRowWithMidAndFrontier_NamesFileAndBadDataExitCode()
    {
        var path = _sandbox.PathOf("nomid.jsonl");
        File.WriteAllText(path, """{"id":"x","source":"s","messages":[{"role":"user","content":"q"}],"scores":{"a":1,"f":1},"tiers":{"small":"a","frontier":"f"}}""" + "\n");

        var (code, _, err) = CliSandbox.Run("eval", "--data", path, "--model", trained.Dir);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}: no row has both a mid and a frontier score, so there is nothing to evaluate", err.Trim());
    }

    [Fact]
    public void TrainEval_NoRowWithMidAndFrontier_RefusedBeforeTraining()
    {
        var path = _sandbox.PathOf("nomid.jsonl");
        File.WriteAllText(path, """{"id":"x","source":"s","messages":[{"role":"user","content":"q"}],"scores":{"a":1,"f":1},"tiers":{"small":"a","frontier":"f"}}""" + "\n");
        var output = _sandbox.PathOf("model");

        var (code, stdout, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", output, "--eval", path);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}: no row has both a mid and a frontier score, so there is nothing to evaluate", err.Trim());
        Assert.Equal(string.Empty, stdout);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Eval_SomeRowsWithoutMid_SaysHowManyPerSourceAndEvaluatesTheRest()
    {
        var data = _sandbox.Data("ok.jsonl", 40);
        File.AppendAllText(data, """{"id":"x","source":"extra","messages":[{"role":"user","content":"q"}],"scores":{"a":1,"f":1},"tiers":{"small":"a","frontier":"f"}}""" + "\n");

        var (code, output, err) = CliSandbox.Run("eval", "--data", data, "--model", trained.Dir);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("oracle", output, StringComparison.Ordinal);
        Assert.Equal("note: 1 of 41 rows have no mid or no frontier score and are not in the figures (extra 1).", err.Trim());
    }
}
