using System.Text;
using Microsoft.Win32.SafeHandles;

namespace RightSize.Cli.Output;

/// <summary>
/// stdout for the command when it is redirected, written so that a reader that went away is
/// noticed. <see cref="Console.Out"/> drops what it cannot write to a closed pipe without a word
/// (<c>score --out - | head -1</c> went on to print "scored 4000 rows into stdout" and exit 0);
/// a stream over file descriptor 1 fails with <see cref="BrokenPipe"/>'s error instead, so the
/// command stops at the first line nobody reads and exits with <see cref="ExitCodes.BrokenPipe"/>.
/// </summary>
internal static class StandardOutput
{
    /// <summary>
    /// A UTF-8 writer over file descriptor 1 that flushes every write (as <see cref="Console.Out"/>
    /// does, so stdout and stderr keep their order when both go to one pipe) when stdout is a pipe
    /// or socket; <see cref="Console.Out"/> otherwise: on a terminal (nobody closes it mid-line, and
    /// the table colours need it), on Windows, and on a file, which no reader closes. A
    /// <see cref="FileStream"/> over a file writes at a position of its own rather than the one the
    /// descriptor shares with stderr, so with <c>&gt; out.txt 2&gt;&amp;1</c> the summary on stderr
    /// would overwrite the first results.
    /// </summary>
    public static TextWriter Open()
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows()) return Console.Out;
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (stream.CanSeek)
        {
            stream.Dispose();
            return Console.Out;
        }

        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }
}
