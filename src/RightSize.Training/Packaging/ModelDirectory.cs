using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RightSize.Classification.Models;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Model;
using RightSize.Training.Onnx;
using RightSize.Training.Training;

namespace RightSize.Training.Packaging;

/// <summary>Writes a model directory: <c>model.onnx</c>, <c>manifest.json</c> and <c>golden.jsonl</c>.</summary>
public static class ModelDirectory
{
    /// <summary>How many data rows (from the held-out part) go into the golden file beside the chat prompts.</summary>
    public const int GoldenRows = 24;

    /// <summary>
    /// Writes the three files into <paramref name="directory"/> (created when missing). The manifest's
    /// metrics are <paramref name="metrics"/> plus what the result says about itself: the outputs
    /// no training row labelled (<c>untrainedOutputs</c>), <c>notes</c> when there are any (the run's warnings,
    /// then the notes already in <paramref name="metrics"/>, then what the data could not train), and the
    /// <c>trainerSettings</c> of the model as trained (a mid gate the data left out is null); its <c>trainer</c> describes the model trained.
    /// </summary>
    public static void Write(string directory, TrainingResult result, FeatureExtractor extractor, IReadOnlyList<RoutingRow> goldenRows, string dataHash, long seed, JsonObject metrics, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(goldenRows);
        ArgumentNullException.ThrowIfNull(metrics);
        Directory.CreateDirectory(directory);
        using (var stream = File.Create(Path.Combine(directory, ModelFiles.Model)))
        {
            OnnxModelExporter.Export(result.Model, stream);
        }

        var manifest = new ModelManifest
        {
            Input = new ModelInput { Dimension = result.Schema.Dimension },
            FeatureSchema = new FeatureSchemaReference { Version = result.Schema.Version, Hash = result.Schema.Hash },
            DataHash = dataHash,
            Seed = seed,
            Metrics = Recorded(metrics, result),
            CreatedAt = createdAt,
            Trainer = TrainerDescription.Of(result.Options),
        };
        WriteManifest(manifest, Path.Combine(directory, ModelFiles.Manifest));
        GoldenVectors.Write(Path.Combine(directory, ModelFiles.GoldenVectors), Golden(result.Model, extractor, goldenRows));
    }

    private static JsonObject Recorded(JsonObject metrics, TrainingResult result)
    {
        var recorded = (JsonObject)metrics.DeepClone();
        recorded.Remove("notes"); // merged below, after untrainedOutputs as always
        recorded["untrainedOutputs"] = new JsonArray([.. result.UntrainedOutputs.Select(o => (JsonNode)o)]);
        List<string> notes = [.. result.Warnings(), .. Given(metrics), .. result.Notes()];
        if (notes.Count > 0) recorded["notes"] = new JsonArray([.. notes.Select(n => (JsonNode)n)]);

        // What the model does, not what was asked: a gate the data could not train is recorded as
        // none (null), as --no-mid-gate records it for the same model.onnx.
        var trained = result.MidGateOff ? result.Options with { MidGateSlot = -1 } : result.Options;
        recorded["trainerSettings"] = TrainerDescription.Settings(trained);
        return recorded;
    }

    /// <summary>The caller's own notes (<c>notes</c> in the metrics given), such as an <c>--eval</c> file that shares rows with the training data.</summary>
    private static IEnumerable<string> Given(JsonObject metrics) =>
        metrics["notes"] is JsonArray notes ? notes.Select(n => n?.GetValue<string>()).OfType<string>() : [];

    private static void WriteManifest(ModelManifest manifest, string path)
    {
        try
        {
            manifest.WriteToFile(path);
        }
        catch (InvalidOperationException)
        {
            // The manifest type's serializer metadata can fail to build (an init-only extension
            // data property); write the same documented shape by hand so training is not blocked.
            var json = new JsonObject
            {
                ["format"] = manifest.Format,
                ["labels"] = new JsonArray(manifest.Labels.Select(l => (JsonNode)l).ToArray()),
                ["input"] = new JsonObject { ["indices"] = manifest.Input.Indices, ["values"] = manifest.Input.Values, ["dimension"] = manifest.Input.Dimension },
                ["output"] = manifest.Output,
                ["featureSchema"] = new JsonObject { ["version"] = manifest.FeatureSchema.Version, ["hash"] = manifest.FeatureSchema.Hash },
                ["dataHash"] = manifest.DataHash,
                ["seed"] = manifest.Seed,
                ["metrics"] = manifest.Metrics?.DeepClone(),
                ["createdAt"] = manifest.CreatedAt,
                ["trainer"] = manifest.Trainer,
            };
            File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
    }

    private static IEnumerable<GoldenVector> Golden(SparseModel model, FeatureExtractor extractor, IReadOnlyList<RoutingRow> rows)
    {
        var buffer = new SparseFeatures();
        var p = new float[SparseModel.OutputCount];
        foreach (var (id, prompt) in GoldenPrompts.All)
        {
            extractor.Extract(prompt, buffer);
            SparseModelForward.Predict(model, buffer.IndicesSpan, buffer.ValuesSpan, p);
            yield return GoldenVector.From(prompt, p[0], p[1], id);
        }

        foreach (var row in rows.Take(GoldenRows))
        {
            extractor.Extract(row.Prompt, buffer);
            SparseModelForward.Predict(model, buffer.IndicesSpan, buffer.ValuesSpan, p);
            yield return GoldenVector.From(row.Prompt, p[0], p[1], row.Id);
        }
    }
}
