using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace RightSize.Training.Data;

/// <summary>
/// The lines of a JSON Lines file, read once from start to end, so that a pipe (<c>/dev/stdin</c>,
/// <c>&lt;(...)</c>) reads as a file does. A line ends at <c>\n</c>; a <c>\r</c> before it is
/// dropped, and any other <c>\r</c> stays in the line, where JSON reads it as white space (as
/// awk, sed and Python count lines). A UTF-8 byte order mark at the start is skipped. A line that
/// is not UTF-8 is refused as <c>FILE:LINE: the line is not UTF-8 text</c>.
/// </summary>
internal static class JsonLinesFile
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>
    /// Each line with its number (from 1), blank ones included. Every byte read, the byte order
    /// mark included, is also added to <paramref name="hash"/> when one is given.
    /// </summary>
    public static IEnumerable<(int Number, string Text)> ReadLines(string path, IncrementalHash? hash)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var buffer = new byte[ChunkBytes];
        int start = 0, end = 0, number = 0;
        var ended = false;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0 && !ended)
            {
                (buffer, start, end) = Compact(buffer, start, end);
                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0) ended = true;
                hash?.AppendData(buffer, end, read);
                end += read;
                continue;
            }

            if (newline < 0 && start == end) yield break;
            var length = newline < 0 ? end - start : newline;
            number++;
            yield return (number, Decode(buffer.AsSpan(start, length), number, path));
            start += newline < 0 ? length : length + 1;
        }
    }

    /// <summary>Moves the unread bytes to the front, and doubles the buffer when a line fills it.</summary>
    private static (byte[] Buffer, int Start, int End) Compact(byte[] buffer, int start, int end)
    {
        var unread = end - start;
        if (start > 0) buffer.AsSpan(start, unread).CopyTo(buffer);
        if (unread == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        return (buffer, 0, unread);
    }

    private static string Decode(ReadOnlySpan<byte> line, int number, string path)
    {
        if (number == 1 && line.StartsWith(Encoding.UTF8.Preamble)) line = line[Encoding.UTF8.Preamble.Length..];
        if (line.EndsWith("\r"u8)) line = line[..^1];
        if (!Utf8.IsValid(line)) throw RoutingDataException.At(path, number, "the line is not UTF-8 text");
        return Encoding.UTF8.GetString(line);
    }
}
