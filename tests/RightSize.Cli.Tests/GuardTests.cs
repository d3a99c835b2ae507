using Microsoft.Extensions.Time.Testing;

namespace RightSize.Cli.Tests;

public sealed class GuardTests
{
    [Fact]
    public void Guard_UnexpectedException_OneLineWithoutStackTraceAndItsOwnExitCode()
    {
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, new FakeTimeProvider());
        var code = RightSizeCli.Guard(context, () => throw new InvalidOperationException("the sky fell\non the second line"));
        Assert.Equal(ExitCodes.Unexpected, code);
        Assert.Equal("error: unexpected InvalidOperationException: the sky fell on the second line", error.ToString().TrimEnd());
    }

    [Fact]
    public void Guard_ArgumentException_OneLineWithoutStackTrace()
    {
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, new FakeTimeProvider());
        var code = RightSizeCli.Guard(context, () => throw new ArgumentException("bad value", "x"));
        Assert.Equal(ExitCodes.Unexpected, code);
        Assert.Equal("error: unexpected ArgumentException: bad value (Parameter 'x')", error.ToString().TrimEnd());
    }
}
