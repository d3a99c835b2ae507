using System.CommandLine;
using System.Text.Json;
using RightSize.Classification;
using RightSize.Cli.Inference;
using RightSize.Cli.Output;
using RightSize.Features;
using RightSize.Training.Data;

namespace RightSize.Cli.Commands;

/// <summary><c>rightsize score --data FILE --model DIR --out FILE|-</c>: one <c>{"id","p":{"small","mid"}}</c> line per row.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Routing rows (JSON Lines); labels are optional.", Required = true }.NotBlank();
        var model = new Option<string>("--model") { Description = "Model directory (model.onnx, manifest.json), or its model.onnx.", Required = true }.NotBlank();
        var output = new Option<string>("--out") { Description = "Where to write the scores (JSON Lines); - for stdout.", Required = true }.NotBlank();
        var command = new Command("score", "Score every row: the probability that each cheaper tier is good enough.") { data, model, output };
        command.SetAction(parse => RightSizeCli.Guard(context, () => Run(context, parse.GetValue(data)!, parse.GetValue(model)!, parse.GetValue(output)!)));
        return command;
    }

    private static int Run(CliContext context, string dataFile, string modelDir, string outFile)
    {
        var rows = RoutingDataReader.ReadAll([dataFile], requireFrontier: false);
        DuplicateIds.Warn(context, rows);
        using var scorer = OnnxRowScorer.Open(modelDir, FeatureExtractor.Default);
        var predictions = scorer.Score(rows);
        string written;
        using (var output = JsonLinesOutput.Open(outFile, context.Output, [dataFile]))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var (row, p) = (rows[i], predictions[i]);
                output.WriteLine(writer => Write(writer, row, p));
            }

            output.Complete();
            written = output.Name;
        }

        // After the output is closed, and on stderr: never inside the scores, even with --out /dev/stdout.
        context.Error.WriteLine($"scored {rows.Count} rows into {written}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Every tier the model judges, whatever the row's labels: the model scores the prompt, not
    /// the row (a <c>mmlu</c> row, which has no small model, still gets P(small)). A tier whose
    /// probability is not a number (a dropped-in model that does not judge it) is omitted.
    /// </summary>
    private static void Write(Utf8JsonWriter writer, RoutingRow row, float[] p)
    {
        writer.WriteStartObject();
        writer.WriteString("id", row.Id);
        writer.WriteStartObject("p");
        WriteProbability(writer, TierNames.Small, p[0]);
        WriteProbability(writer, TierNames.Mid, p[1]);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteProbability(Utf8JsonWriter writer, string tier, float p)
    {
        if (!float.IsNaN(p)) writer.WriteNumber(tier, Math.Round(p, 6)); // in [0, 1]: ProbabilityCheck refused the rest
    }
}
