using System.CommandLine;
using System.Text;
using System.Text.Json;
using RightSize.Classification;
using RightSize.Cli.Inference;
using RightSize.Features;
using RightSize.Training.Data;

namespace RightSize.Cli.Commands;

/// <summary><c>rightsize score --data FILE --model DIR --out FILE</c>: one <c>{"id","p":{"small","mid"}}</c> line per row.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Routing rows (JSON Lines); labels are optional.", Required = true };
        var model = new Option<string>("--model") { Description = "Model directory.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the scores (JSON Lines).", Required = true };
        var command = new Command("score", "Score every row: the probability that each cheaper tier is good enough.") { data, model, output };
        command.SetAction(parse => RightSizeCli.Guard(context, () => Run(context, parse.GetValue(data)!, parse.GetValue(model)!, parse.GetValue(output)!)));
        return command;
    }

    private static int Run(CliContext context, string dataFile, string modelDir, string outFile)
    {
        var rows = RoutingDataReader.ReadAll([dataFile], requireFrontier: false);
        using var scorer = OnnxRowScorer.Open(modelDir, FeatureExtractor.Default);
        var predictions = scorer.Score(rows);
        using var stream = File.Create(outFile);
        using var writer = new Utf8JsonWriter(stream);
        for (var i = 0; i < rows.Count; i++)
        {
            Write(writer, rows[i], predictions[i]);
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset();
        }

        context.Output.WriteLine($"scored {rows.Count} rows into {outFile}");
        return ExitCodes.Ok;
    }

    /// <summary>A row with no tier mapping gets both probabilities; otherwise only the tiers it names.</summary>
    private static void Write(Utf8JsonWriter writer, RoutingRow row, float[] p)
    {
        var unlabelled = !row.Has(Tier.Small) && !row.Has(Tier.Mid) && !row.Has(Tier.Frontier);
        writer.WriteStartObject();
        writer.WriteString("id", row.Id);
        writer.WriteStartObject("p");
        if (unlabelled || row.Has(Tier.Small)) writer.WriteNumber(TierNames.Small, Math.Round(p[0], 6));
        if (unlabelled || row.Has(Tier.Mid)) writer.WriteNumber(TierNames.Mid, Math.Round(p[1], 6));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
