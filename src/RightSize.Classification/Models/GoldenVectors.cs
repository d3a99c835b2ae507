using System.Text;
using System.Text.Json;

namespace RightSize.Classification.Models;

/// <summary>Reads and writes <c>golden.jsonl</c>: one <see cref="GoldenVector"/> per line.</summary>
public static class GoldenVectors
{
    /// <summary>Reads every non-blank line; a bad line throws <see cref="ClassifierModelException"/> naming the file and line, as does a file that cannot be read.</summary>
    public static IReadOnlyList<GoldenVector> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ClassifierModelException($"The golden vectors file '{path}' does not exist; the trainer writes it beside {ModelFiles.Model}.");
        }

        try
        {
            var vectors = new List<GoldenVector>();
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path, Encoding.UTF8))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                vectors.Add(ParseLine(line, path, lineNumber));
            }

            return vectors;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ClassifierModelException($"The golden vectors file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the vectors as UTF-8 JSON lines, replacing the file.</summary>
    public static void Write(string path, IEnumerable<GoldenVector> vectors)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        Write(stream, vectors);
    }

    /// <summary>Writes the vectors as UTF-8 JSON lines.</summary>
    public static void Write(Stream output, IEnumerable<GoldenVector> vectors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(vectors);
        foreach (var vector in vectors)
        {
            JsonSerializer.Serialize(output, vector, GoldenVectorJsonContext.Default.GoldenVector);
            output.WriteByte((byte)'\n');
        }
    }

    private static GoldenVector ParseLine(string line, string path, int lineNumber)
    {
        GoldenVector? vector;
        try
        {
            vector = JsonSerializer.Deserialize(line, GoldenVectorJsonContext.Default.GoldenVector);
        }
        catch (JsonException ex)
        {
            throw new ClassifierModelException($"{path}:{lineNumber}: not a valid golden vector: {ex.Message}", ex);
        }

        if (vector?.Messages is not { Count: > 0 } messages || messages.Any(m => m?.Role is null || m.Content is null) || vector.P is not { Count: 2 })
        {
            throw new ClassifierModelException($"{path}:{lineNumber}: a golden vector needs non-empty 'messages' (each with a role and content) and 'p' with two probabilities [p_small, p_mid].");
        }

        return vector;
    }
}
