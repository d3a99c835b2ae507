using System.CommandLine;
using System.Text.Json;
using RightSize.Classification;
using RightSize.Cli.Inference;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Evaluation;

namespace RightSize.Cli.Commands;

/// <summary><c>rightsize eval --data FILE --model DIR [--json]</c>: the measures per source through ONNX Runtime.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Labelled routing data (JSON Lines).", Required = true }.NotBlank();
        var model = new Option<string>("--model") { Description = "Model directory (model.onnx, manifest.json), or its model.onnx.", Required = true }.NotBlank();
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON instead of a table." };
        var command = new Command("eval", "Evaluate a model per source: APGR, CPT(50%), CPT(80%), frontier cut and cost share at 95% quality, beside random and oracle.") { data, model, json };
        command.SetAction(parse => RightSizeCli.Guard(context, () => Run(context, parse.GetValue(data)!, parse.GetValue(model)!, parse.GetValue(json))));
        return command;
    }

    private static int Run(CliContext context, string dataFile, string modelDir, bool json)
    {
        var rows = RoutingDataReader.ReadAll([dataFile]);
        DuplicateIds.Warn(context, rows);
        RequireMidAndFrontier(dataFile, rows);
        using var scorer = OnnxRowScorer.Open(modelDir, FeatureExtractor.Default);
        var predictions = context.Progress.Run(board =>
        {
            var scoring = board.Add("scoring", rows.Count);
            return scorer.Score(rows, new SyncProgress<int>(done => scoring.Report(done)));
        });
        var evaluation = RoutingEvaluator.Evaluate(rows, predictions);
        ReportRowsLeftOut(context, rows);
        EvaluationNotes.Write(context, evaluation);
        if (json)
        {
            context.Output.WriteLine(EvaluationJson.ToJson(evaluation).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            EvaluationTable.Write(context, evaluation, Path.GetFileName(dataFile));
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Refuses a file in which no row has both a mid and a frontier score, rather than print an
    /// empty table: the figures compare the two. <c>train --eval</c> checks before it trains.
    /// </summary>
    internal static void RequireMidAndFrontier(string dataFile, IReadOnlyList<RoutingRow> rows)
    {
        if (!rows.Any(row => row.Has(Tier.Mid) && row.Has(Tier.Frontier)))
        {
            throw RoutingDataException.At(dataFile, 0, "no row has both a mid and a frontier score, so there is nothing to evaluate");
        }
    }

    /// <summary>The figures compare mid with frontier, so a row without both scores is not in them: say how many, per source.</summary>
    internal static void ReportRowsLeftOut(CliContext context, IReadOnlyList<RoutingRow> rows)
    {
        var leftOut = rows.Where(row => !row.Has(Tier.Mid) || !row.Has(Tier.Frontier)).CountBy(row => row.Source).ToList();
        if (leftOut.Count == 0) return;
        var perSource = string.Join(", ", leftOut.Select(source => $"{source.Key} {source.Value}"));
        context.Error.WriteLine($"note: {leftOut.Sum(source => source.Value)} of {rows.Count} rows have no mid or no frontier score and are not in the figures ({perSource}).");
    }
}
