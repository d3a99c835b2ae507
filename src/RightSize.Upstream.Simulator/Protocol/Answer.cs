using System.Text;

namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>
/// The deterministic answer to a prompt: <c>[model] echo</c>, where the echo is the prompt with
/// whitespace collapsed, cut to 64 characters. Streaming splits it into pieces whose concatenation
/// is exactly <see cref="Content"/>.
/// </summary>
internal sealed record Answer(string Content, TokenUsage Usage)
{
    public static Answer For(string model, string? prompt, int bodyBytes)
    {
        var content = $"[{model}] {Echo(prompt)}";
        return new Answer(content, new TokenUsage(TokenUsage.EstimatePromptTokens(bodyBytes), CountWords(content)));
    }

    /// <summary>Splits <see cref="Content"/> into <paramref name="parts"/> pieces of near-equal length (never inside a surrogate pair).</summary>
    public IReadOnlyList<string> Split(int parts)
    {
        var pieces = new string[parts];
        var start = 0;
        for (var i = 0; i < parts; i++)
        {
            var end = i == parts - 1 ? Content.Length : (int)((long)Content.Length * (i + 1) / parts);
            if (end > start && end < Content.Length && char.IsLowSurrogate(Content[end]))
            {
                end++;
            }

            end = Math.Max(end, start);
            pieces[i] = Content[start..end];
            start = end;
        }

        return pieces;
    }

    public static int CountWords(string text)
        => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static string Echo(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return "(no prompt)";
        }

        var builder = new StringBuilder(SimulatorConstants.MaxEchoLength + 1);
        var pendingSpace = false;
        foreach (var ch in prompt)
        {
            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(ch);
            if (builder.Length >= SimulatorConstants.MaxEchoLength)
            {
                break;
            }
        }

        if (builder.Length > 0 && char.IsHighSurrogate(builder[^1]))
        {
            builder.Length--;
        }

        return builder.ToString();
    }
}
