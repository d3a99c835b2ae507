using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RightSize.Cli.Output;

/// <summary>
/// Where <c>score --out</c> writes: a file, or stdout for <c>-</c>. One JSON object a line,
/// escaped only where JSON requires it (an id such as <c>café</c> or <c>café-😀</c> is written as it
/// reads; the file is UTF-8).
/// <see cref="Complete"/> closes the file, so a summary printed after it cannot land inside the
/// output, and a write the disk refuses surfaces before the command says it is done. A write that
/// fails (a full disk, a file size limit) is an <see cref="IOException"/> naming the file; a file
/// this run created is then removed, so no part of the scores is left looking whole.
/// </summary>
internal sealed class JsonLinesOutput : IDisposable
{
    /// <summary>The <c>--out</c> value that means stdout.</summary>
    public const string Stdout = "-";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly bool _created;
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly Utf8JsonWriter _json;
    private bool _closed;

    private JsonLinesOutput(TextWriter writer, bool ownsWriter, string name, bool created = false)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
        _created = created;
        _json = new Utf8JsonWriter(_line, Options);
        Name = name;
    }

    /// <summary>The file written, or <c>stdout</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Opens <paramref name="target"/> (created or replaced), or <paramref name="stdout"/> for <c>-</c>.
    /// A target that is one of <paramref name="inputs"/>, by its path or through symlinks (of the
    /// file or of a directory above it; a hard link is not recognised), is refused: replacing it
    /// would lose the labelled rows it was read from.
    /// </summary>
    /// <exception cref="IOException">The target is an input or a directory, or cannot be written; the message names it.</exception>
    public static JsonLinesOutput Open(string target, TextWriter stdout, IEnumerable<string> inputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(inputs);
        if (target == Stdout) return new JsonLinesOutput(stdout, ownsWriter: false, "stdout");
        if (Directory.Exists(target)) throw new IOException($"{target}: --out is a directory; give a file to write to, or - for stdout");
        var resolved = FinalPath(target);
        if (inputs.Any(input => string.Equals(FinalPath(input), resolved, StringComparison.Ordinal)))
        {
            throw new IOException($"{target}: --out is the --data file; writing the scores there would replace its rows. Give another file, or - for stdout");
        }

        try
        {
            var created = !File.Exists(target);
            return new JsonLinesOutput(new StreamWriter(target, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)), ownsWriter: true, target, created);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{target}: --out cannot be written: {ex.Message}", ex);
        }
    }

    /// <summary>Writes one line: the JSON that <paramref name="write"/> writes, then '\n'.</summary>
    public void WriteLine(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _line.ResetWrittenCount();
        _json.Reset();
        write(_json);
        _json.Flush();
        var line = WithoutPairEscapes(Encoding.UTF8.GetString(_line.WrittenSpan));
        Guarded(() =>
        {
            _writer.Write(line);
            _writer.Write('\n');
        });
    }

    /// <summary>Writes out what is buffered and closes the file (stdout is flushed, not closed).</summary>
    public void Complete()
    {
        if (_closed) return;
        Guarded(() =>
        {
            if (_ownsWriter) _writer.Dispose();
            else _writer.Flush();
        });
        _closed = true;
    }

    /// <summary>
    /// The writer escapes every character outside the Basic Multilingual Plane (an emoji) as a
    /// surrogate pair, <c>\uD83D\uDE00</c>, whatever its encoder; JSON does not require that, so
    /// such a pair is put back as the character. A lone surrogate stays escaped (UTF-8 cannot hold
    /// it); every other escape is copied as it is.
    /// </summary>
    private static string WithoutPairEscapes(string json)
    {
        if (!json.Contains("\\uD", StringComparison.Ordinal)) return json;
        var text = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\' || i + 1 >= json.Length)
            {
                text.Append(json[i]);
                continue;
            }

            if (json[i + 1] == 'u' && i + 12 <= json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                && ushort.TryParse(json.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
                && ushort.TryParse(json.AsSpan(i + 8, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low)
                && char.IsSurrogatePair((char)high, (char)low))
            {
                text.Append((char)high).Append((char)low);
                i += 11;
                continue;
            }

            text.Append(json[i]).Append(json[i + 1]); // an escape: its backslash and the character after it
            i++;
        }

        return text.ToString();
    }

    /// <summary>Closes the output; one that was not <see cref="Complete"/>d is abandoned (a file this run created is removed).</summary>
    public void Dispose()
    {
        _json.Dispose();
        if (_closed) return;
        _closed = true;
        Abandon();
    }

    /// <summary>Runs a write; a failure becomes an IOException naming the file, after the output is abandoned.</summary>
    private void Guarded(Action write)
    {
        try
        {
            write();
        }
        catch (IOException ex) when (!BrokenPipe.Is(ex) && _ownsWriter)
        {
            throw Failed(ex);
        }
        catch (Exception ex) when (_ownsWriter && ex is UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // .NET reports a write past the file size limit (EFBIG) as ArgumentOutOfRangeException.
            throw Failed(ex);
        }
    }

    private IOException Failed(Exception ex)
    {
        _closed = true;
        var removed = Abandon();
        var left = removed ? "it was removed" : "it holds only part of the scores";
        var why = ex is ArgumentOutOfRangeException ? "the file reached the largest size this system allows" : ex.Message;
        return new IOException($"{Name}: --out could not be written ({why}); {left}", ex);
    }

    /// <summary>Closes the file without caring whether its last bytes reach the disk; removes it when this run created it.</summary>
    private bool Abandon()
    {
        if (!_ownsWriter)
        {
            try
            {
                _writer.Flush();
            }
            catch (IOException)
            {
                // stdout has gone; there is nothing to keep.
            }

            return false;
        }

        try
        {
            _writer.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // The buffered tail cannot be written either; the file is incomplete whatever happens.
        }

        if (!_created) return false;
        try
        {
            File.Delete(Name);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The full path of <paramref name="path"/> with the symlinks among its directories and its
    /// file followed, as far as they exist (a hard link is not recognised).
    /// </summary>
    private static string FinalPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            try
            {
                FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (entry.LinkTarget is not null && entry.ResolveLinkTarget(returnFinalTarget: true) is { } target) next = target.FullName;
            }
            catch (IOException)
            {
                // A loop of symlinks: opening it fails with its own message.
            }

            resolved = next;
        }

        return resolved;
    }
}
