using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RightSize.Classification;
using RightSize.OpenAI.Chat;
using RightSize.OpenAI.Requests;

namespace RightSize.Training.Data;

/// <summary>
/// Reads routing rows from JSON Lines. Every error is a <see cref="RoutingDataException"/> whose
/// message is one line: <c>FILE:LINE: what is wrong</c>. Blank lines are skipped. Every score
/// must be a finite number in [0, 1]; the file must be UTF-8 and every string valid UTF-16 (no
/// escaped lone surrogate).
/// </summary>
public static class RoutingDataReader
{
    /// <summary>Rows with at least this many scored models get a <see cref="RoutingRow.Consensus"/>.</summary>
    public const int ConsensusMinModels = 5;

    /// <summary>Reads every row of every file, in order; a file without a single row is an error (<c>FILE: no rows</c>).</summary>
    public static List<RoutingRow> ReadAll(IEnumerable<string> paths, bool requireFrontier = true) => ReadAll(paths, requireFrontier, hash: null);

    /// <summary>
    /// <see cref="ReadAll(IEnumerable{string}, bool)"/>, and the SHA-256 of the files' bytes in the
    /// order given (<c>sha256:</c> and lower-case hex: a model manifest's <c>dataHash</c>), taken
    /// as the rows are read, so that a file read from a pipe is hashed as what was read.
    /// </summary>
    public static (List<RoutingRow> Rows, string DataHash) ReadAllHashed(IEnumerable<string> paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var rows = ReadAll(paths, requireFrontier: true, hash);
        return (rows, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static List<RoutingRow> ReadAll(IEnumerable<string> paths, bool requireFrontier, IncrementalHash? hash)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var rows = new List<RoutingRow>();
        foreach (var path in paths)
        {
            var before = rows.Count;
            rows.AddRange(Read(path, requireFrontier, hash));
            if (rows.Count == before) throw RoutingDataException.At(path, 0, "no rows");
        }

        return rows;
    }

    /// <summary>Reads the rows of one file lazily; lines are read as <see cref="JsonLinesFile"/> says.</summary>
    public static IEnumerable<RoutingRow> Read(string path, bool requireFrontier = true) => Read(path, requireFrontier, hash: null);

    private static IEnumerable<RoutingRow> Read(string path, bool requireFrontier, IncrementalHash? hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (System.IO.Directory.Exists(path)) throw RoutingDataException.At(path, 0, "is a directory, not a JSONL file");
        if (!System.IO.File.Exists(path)) throw RoutingDataException.At(path, 0, "file not found");
        return ReadExisting(path, requireFrontier, hash);
    }

    private static IEnumerable<RoutingRow> ReadExisting(string path, bool requireFrontier, IncrementalHash? hash)
    {
        foreach (var (number, line) in JsonLinesFile.ReadLines(path, hash))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return ParseLine(line, path, number, requireFrontier);
        }
    }

    /// <summary>Parses one JSON line.</summary>
    public static RoutingRow ParseLine(string line, string path, int lineNumber, bool requireFrontier = true)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            var at = ex.BytePositionInLine is { } position ? string.Create(CultureInfo.InvariantCulture, $" at byte {position + 1}") : string.Empty;
            throw RoutingDataException.At(path, lineNumber, $"malformed JSON{at}: {Reason(ex.Message)}", ex);
        }

        using (document)
        {
            try
            {
                return ReadRow(document.RootElement, line, path, lineNumber, requireFrontier);
            }
            catch (InvalidOperationException ex)
            {
                // Every value's kind is checked before it is read, so this is text that JSON's
                // grammar allows but UTF-16 does not (an escaped lone surrogate such as "\ud800").
                throw RoutingDataException.At(path, lineNumber, "the row contains a string with an invalid escape sequence (a lone surrogate such as \\ud800)", ex);
            }
        }
    }

    private static RoutingRow ReadRow(JsonElement root, string line, string path, int lineNumber, bool requireFrontier)
    {
        if (root.ValueKind != JsonValueKind.Object) throw RoutingDataException.At(path, lineNumber, "a row must be a JSON object");
        var ownId = OptionalString(root, "id", path, lineNumber);
        var id = ownId ?? lineNumber.ToString(CultureInfo.InvariantCulture);
        var source = OptionalString(root, "source", path, lineNumber) ?? "unknown";
        var prompt = ReadPrompt(line, path, lineNumber);
        CheckScores(root, path, lineNumber);
        var (scores, models) = ReadTierScores(root, path, lineNumber, requireFrontier);
        var consensus = Consensus(root, scores[(int)Tier.Frontier]);
        return new RoutingRow { Id = id, HasOwnId = ownId is not null, Source = source, Prompt = prompt, TierScores = scores, TierModels = models, Consensus = consensus, File = path, Line = lineNumber };
    }

    private static double Consensus(JsonElement root, double frontier)
    {
        if (double.IsNaN(frontier) || !root.TryGetProperty("scores", out var scores) || scores.ValueKind != JsonValueKind.Object) return double.NaN;
        int models = 0, reaching = 0;
        foreach (var score in scores.EnumerateObject())
        {
            if (score.Value.ValueKind != JsonValueKind.Number) continue;
            models++;
            if (score.Value.GetDouble() >= frontier) reaching++;
        }

        return models >= ConsensusMinModels ? (double)reaching / models : double.NaN;
    }

    /// <summary>Every number in 'scores' is a finite score in [0, 1] (1e400 would read as infinity, and poison every mean).</summary>
    private static void CheckScores(JsonElement root, string path, int line)
    {
        if (!root.TryGetProperty("scores", out var scores) || scores.ValueKind != JsonValueKind.Object) return;
        foreach (var score in scores.EnumerateObject())
        {
            if (score.Value.ValueKind != JsonValueKind.Number) continue;
            if (!score.Value.TryGetDouble(out var value) || !double.IsFinite(value) || value is < 0 or > 1)
            {
                throw RoutingDataException.At(path, line, $"the score of '{score.Name}' must be between 0 and 1 (got {score.Value.GetRawText()})");
            }
        }
    }

    /// <summary>
    /// What the JSON reader says is wrong, without the position it appends (" LineNumber: 0 |
    /// BytePositionInLine: 26."; the line is the file's, given before, and the byte is given once)
    /// and without its advice to the programmer ("not supported in this mode. Change the reader
    /// options."), which a user with a data file cannot act on.
    /// </summary>
    private static string Reason(string message)
    {
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (end < 0) end = message.IndexOfAny(['\r', '\n']);
        var reason = end < 0 ? message : message[..end];
        return reason
            .Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal)
            .Replace(" which is not supported in this mode.", ", which JSON does not allow.", StringComparison.Ordinal)
            .TrimEnd();
    }

    private static string? OptionalString(JsonElement root, string name, string path, int line)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw RoutingDataException.At(path, line, $"'{name}' must be a string");
        return value.GetString();
    }

    /// <summary>
    /// The prompt as the gateway reads a chat request (<see cref="OpenAIRequestParser"/>): text
    /// parts only, tools and legacy functions, response_format, max_completion_tokens before
    /// max_tokens. One reader for both, so that training and serving see the same input.
    /// </summary>
    private static ChatPrompt ReadPrompt(string line, string path, int lineNumber)
    {
        if (OpenAIRequestParser.TryParseChat(Encoding.UTF8.GetBytes(line), out var request, out var error)) return request.Prompt!;
        throw RoutingDataException.At(path, lineNumber, error.Message);
    }

    /// <summary>
    /// The row's score and model per tier. Model names are interned: a file names a handful of
    /// models over thousands of rows.
    /// </summary>
    private static (double[] Scores, string?[] Models) ReadTierScores(JsonElement root, string path, int line, bool requireFrontier)
    {
        var result = new[] { double.NaN, double.NaN, double.NaN };
        var models = new string?[3];
        root.TryGetProperty("scores", out var scores);
        if (scores.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw RoutingDataException.At(path, line, "'scores' must be an object mapping models to numbers");
        }

        // Labels may be left out (or null) where they are not needed (score); given, they are checked alike everywhere.
        var hasTiers = root.TryGetProperty("tiers", out var tiers) && tiers.ValueKind != JsonValueKind.Null;
        if (hasTiers ? tiers.ValueKind != JsonValueKind.Object : requireFrontier)
        {
            throw RoutingDataException.At(path, line, "'tiers' must be an object mapping tier names to models");
        }

        if (!hasTiers) return (result, models);

        foreach (var tier in tiers.EnumerateObject())
        {
            if (!TierNames.TryParse(tier.Name, out var parsed))
            {
                throw RoutingDataException.At(path, line, $"unknown tier '{tier.Name}' (expected small, mid or frontier)");
            }

            if (tier.Value.ValueKind != JsonValueKind.String) throw RoutingDataException.At(path, line, $"tier '{tier.Name}' must name a model");
            var model = tier.Value.GetString()!;
            if (scores.ValueKind == JsonValueKind.Object && scores.TryGetProperty(model, out var score))
            {
                if (score.ValueKind != JsonValueKind.Number) throw RoutingDataException.At(path, line, $"the score of '{model}' must be a number");
                result[(int)parsed] = score.GetDouble();
                models[(int)parsed] = string.Intern(model);
            }
        }

        if (requireFrontier && double.IsNaN(result[(int)Tier.Frontier]))
        {
            throw RoutingDataException.At(path, line, "the row has no frontier score, so no tier can be judged");
        }

        return (result, models);
    }
}
