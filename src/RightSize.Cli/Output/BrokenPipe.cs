namespace RightSize.Cli.Output;

/// <summary>A write to a pipe whose reader has gone (<c>| head -1</c>): EPIPE on Unix, ERROR_BROKEN_PIPE or ERROR_NO_DATA on Windows.</summary>
internal static class BrokenPipe
{
    private const int UnixEpipe = 32; // the same on Linux and macOS; .NET puts errno in HResult
    private const int WindowsBrokenPipe = unchecked((int)0x8007006D);
    private const int WindowsNoData = unchecked((int)0x800700E8);

    public static bool Is(IOException exception) => exception is { HResult: UnixEpipe or WindowsBrokenPipe or WindowsNoData };
}
