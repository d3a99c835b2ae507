using System.Globalization;
using System.Text;
using RightSize.Training.Data;

namespace RightSize.Cli.Commands;

/// <summary>
/// <c>train --eval</c> rows that are also training data: a row whose id is a <c>--data</c> row's id
/// (rows without an id of their own are matched by prompt only), or whose prompt is a <c>--data</c>
/// row's, turn for turn (role and text). The model has seen them, so its figures on them overstate
/// how it does on new prompts. The whole prompt is compared, not the first line the held-out split
/// groups by: many different questions share a first line such as "This question refers to the
/// following information." (79 rows of the shipped dev.jsonl do with train.jsonl; none shares an id or a prompt).
/// </summary>
internal static class EvalOverlap
{
    /// <summary>One sentence naming how many <paramref name="eval"/> rows overlap <paramref name="training"/>, with an example; null when none does.</summary>
    public static string? Describe(IReadOnlyList<RoutingRow> training, IReadOnlyList<RoutingRow> eval, string evalFile)
    {
        var ids = new Dictionary<string, RoutingRow>(StringComparer.Ordinal);
        var prompts = new Dictionary<string, RoutingRow>(StringComparer.Ordinal);
        foreach (var row in training)
        {
            if (row.HasOwnId) ids.TryAdd(row.Id, row);
            prompts.TryAdd(KeyOf(row), row);
        }

        var shared = 0;
        (RoutingRow Eval, RoutingRow Training)? example = null;
        foreach (var row in eval)
        {
            RoutingRow? seen = null;
            if (row.HasOwnId) ids.TryGetValue(row.Id, out seen);
            if (seen is null) prompts.TryGetValue(KeyOf(row), out seen);
            if (seen is null) continue;
            shared++;
            example ??= (row, seen);
        }

        if (example is not { } pair) return null;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{shared} of {eval.Count} --eval rows share an id or the same prompt with --data rows (such as '{pair.Eval.Id}' at {Where(pair.Eval)} and {Where(pair.Training)}); the model has seen them, so the figures under eval:{Path.GetFileName(evalFile)} overstate how it does on new prompts.");
    }

    private static string KeyOf(RoutingRow row)
    {
        var key = new StringBuilder();
        foreach (var turn in row.Prompt.Turns) key.Append(turn.Role).Append('\u0001').Append(turn.Text).Append('\u0002');
        return key.ToString();
    }

    private static string Where(RoutingRow row) => $"{row.File}:{row.Line.ToString(CultureInfo.InvariantCulture)}";
}
