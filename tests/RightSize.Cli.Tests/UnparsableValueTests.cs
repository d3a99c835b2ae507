namespace RightSize.Cli.Tests;

/// <summary>
/// A value that is not a number, or an option without its value, on a verb with cross-option
/// checks: a usage error naming the option, never an unhandled exception.
/// </summary>
public sealed class UnparsableValueTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("--epochs", "abc")]
    [InlineData("--seed", "abc")]
    [InlineData("--learning-rate", "x")]
    [InlineData("--regularization", "many")]
    public void Train_ValueNotANumber_IsUsageErrorNamingTheOption(string option, string value)
    {
        var model = _sandbox.PathOf("m");

        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("train.jsonl", 30), "--out", model, option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"Cannot parse argument '{value}' for option '{option}'", err.Trim(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(model), "nothing is written");
    }

    [Theory]
    [InlineData("--frontier-share", "abc")]
    [InlineData("--quality", "abc")]
    public void Calibrate_TargetNotANumber_IsUsageErrorNamingTheOption(string option, string value)
    {
        var (code, _, err) = CliSandbox.Run("calibrate", "--data", "x", "--model", "y", option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"Cannot parse argument '{value}' for option '{option}'", err.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_TargetWithoutValue_IsUsageErrorNamingTheOption()
    {
        var (code, _, err) = CliSandbox.Run("calibrate", "--data", "x", "--model", "y", "--frontier-share");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'--frontier-share'", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("score", "--data")]
    [InlineData("score", "--model")]
    [InlineData("score", "--out")]
    [InlineData("eval", "--data")]
    [InlineData("calibrate", "--model")]
    [InlineData("train", "--out")]
    [InlineData("train", "--data")]
    [InlineData("train", "--eval")]
    public void Verb_EmptyPath_IsUsageErrorNamingTheOption(string verb, string emptied)
    {
        string[] options = verb switch
        {
            "score" => ["--data", "rows.jsonl", "--model", "m", "--out", "s.jsonl"],
            "eval" => ["--data", "rows.jsonl", "--model", "m"],
            "calibrate" => ["--data", "rows.jsonl", "--model", "m", "--quality", "0.9"],
            _ => ["--data", "rows.jsonl", "--out", "m", "--eval", "dev.jsonl"],
        };
        var args = options.Select((value, i) => i > 0 && options[i - 1] == emptied ? "" : value).Prepend(verb).ToArray();

        var (code, _, err) = CliSandbox.Run(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"{emptied} needs a path, not an empty value.", err, StringComparison.Ordinal);
    }
}
