using System.Globalization;
using RightSize.Training.Evaluation;
using Spectre.Console;

namespace RightSize.Cli.Commands;

/// <summary>
/// Prints the evaluation per source: the model's figures beside random and oracle; <c>-</c> where a
/// source has no such figure (no row with three tiers), <c>n/a</c> where it is undefined (the notes
/// on stderr say why: no quality gap, a tier the model does not judge, three tiers on under 90% of the rows).
/// </summary>
internal static class EvaluationTable
{
    public static void Write(CliContext context, IReadOnlyList<SourceEvaluation> evaluations, string dataName)
    {
        var table = new Table().Title($"routing quality on {Markup.Escape(dataName)} (mid vs frontier; prices small 1, mid 4, frontier 20)");
        table.AddColumns("source", "rows", "router", "APGR", "CPT(50%)", "CPT(80%)", "frontier cut @95%", "cost share @95%", "3-tier cost @95%");
        foreach (var e in evaluations)
        {
            Add(table, e.Source, e.Rows.ToString(CultureInfo.InvariantCulture), "model", e.Model);
            Add(table, string.Empty, string.Empty, "random", e.Random);
            Add(table, string.Empty, string.Empty, "oracle", e.Oracle);
        }

        context.Console.Write(table);
    }

    private static void Add(Table table, string source, string rows, string router, RouterFigures f) => table.AddRow(
        Markup.Escape(source),
        rows,
        router,
        F(f.Apgr),
        F(f.Cpt50),
        F(f.Cpt80),
        F(f.FrontierCutAt95),
        F(f.CostShareAt95),
        f.ThreeTierCostShareAt95 is { } t ? F(t) : "-");

    /// <summary>Three decimals; <c>n/a</c> for a figure that is undefined (the notes on stderr say why).</summary>
    private static string F(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F3", CultureInfo.InvariantCulture);
}
