namespace RightSize.Cli;

/// <summary>Exit codes of <c>rightsize</c>.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command line itself is wrong (unknown option, missing required option).</summary>
    public const int Usage = 1;

    /// <summary>An input data file is missing or has a bad line (the message names the file and line), or an output cannot be written.</summary>
    public const int BadData = 2;

    /// <summary>
    /// The model directory is missing, unreadable, malformed, built for another feature schema, or
    /// refused as the gateway would refuse it (golden vectors it does not reproduce, a probability
    /// that is infinite or outside [0, 1]).
    /// </summary>
    public const int BadModel = 3;

    /// <summary>A failure the tool did not foresee (a bug): one line with the exception's type and message, no stack trace.</summary>
    public const int Unexpected = 4;

    /// <summary><c>calibrate</c>: no threshold reaches the target on the sample; stderr names the closest, and nothing is printed to configure.</summary>
    public const int TargetNotReached = 5;

    /// <summary>
    /// stdout was a pipe whose reader went away (<c>score --out - | head -1</c>): the command stops
    /// writing and exits with nothing on stderr, with the status a shell gives a command that
    /// SIGPIPE ended (128 + 13), as <c>yes | head -1</c> does under <c>set -o pipefail</c>.
    /// </summary>
    public const int BrokenPipe = 141;
}
