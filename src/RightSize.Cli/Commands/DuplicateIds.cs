using RightSize.Training.Data;

namespace RightSize.Cli.Commands;

/// <summary>
/// Warns, once and with a count, when rows repeat an id: a file given twice (<c>--data a --data a</c>)
/// or copied rows would otherwise be trained on, scored or counted twice without a word.
/// </summary>
internal static class DuplicateIds
{
    public static void Warn(CliContext context, IReadOnlyList<RoutingRow> rows)
    {
        var first = new Dictionary<string, RoutingRow>(StringComparer.Ordinal);
        var repeats = 0;
        (RoutingRow First, RoutingRow Again)? example = null;
        foreach (var row in rows)
        {
            if (!row.HasOwnId) continue;
            if (first.TryAdd(row.Id, row)) continue;
            repeats++;
            example ??= (first[row.Id], row);
        }

        if (example is not { } pair) return;
        context.Error.WriteLine(
            $"warning: {repeats} of {rows.Count} rows repeat an id seen before (such as '{pair.Again.Id}' at {Where(pair.First)} and {Where(pair.Again)}); each copy counts as a row of its own.");
    }

    private static string Where(RoutingRow row) => $"{row.File}:{row.Line}";
}
