using System.CommandLine;
using System.Text.Json;
using RightSize.Cli.Inference;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Evaluation;
using Spectre.Console;

namespace RightSize.Cli.Commands;

/// <summary><c>rightsize eval --data FILE --model DIR [--json]</c>: the measures per source through ONNX Runtime.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Labelled routing data (JSON Lines).", Required = true };
        var model = new Option<string>("--model") { Description = "Model directory (model.onnx, manifest.json).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON instead of a table." };
        var command = new Command("eval", "Evaluate a model per source: APGR, CPT(50%), CPT(80%), frontier cut and cost share at 95% quality, beside random and oracle.") { data, model, json };
        command.SetAction(parse => RightSizeCli.Guard(context, () => Run(context, parse.GetValue(data)!, parse.GetValue(model)!, parse.GetValue(json))));
        return command;
    }

    private static int Run(CliContext context, string dataFile, string modelDir, bool json)
    {
        var rows = RoutingDataReader.ReadAll([dataFile]);
        using var scorer = OnnxRowScorer.Open(modelDir, FeatureExtractor.Default);
        float[][] predictions = [];
        context.Console.Progress().Start(progress =>
        {
            var task = progress.AddTask("scoring", maxValue: rows.Count);
            predictions = scorer.Score(rows, new SyncProgress<int>(done => task.Value = done));
        });
        var evaluation = RoutingEvaluator.Evaluate(rows, predictions);
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
}
