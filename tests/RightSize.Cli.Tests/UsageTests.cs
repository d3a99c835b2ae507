namespace RightSize.Cli.Tests;

/// <summary>A usage error leaves stdout empty: the errors, then the help, go to stderr. Help asked for goes to stdout.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("train", "--data", "x.jsonl", "--out", "m", "--epochs", "0")]
    [InlineData("eval", "--dta", "x.jsonl", "--model", "m")]
    [InlineData("score", "--data", "x.jsonl", "--model", "m")]
    [InlineData("calibrate", "--data", "x.jsonl", "--model", "m")]
    public void Verb_UsageError_ErrorsAndHelpOnStderrNothingOnStdout(params string[] args)
    {
        var (code, output, err) = CliSandbox.Run(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(string.Empty, output);
        Assert.NotEmpty(CliSandbox.UsageErrors(err));
        Assert.Contains("Usage:", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Verb_HelpAskedFor_OnStdout()
    {
        var (code, output, err) = CliSandbox.Run("score", "--help");

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, err);
    }
}
