using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RightSize.Features;

namespace RightSize.Classification.Models;

/// <summary>
/// <c>manifest.json</c>: what a <c>model.onnx</c> expects and where it came from. The gateway
/// reads it before the model and refuses a model whose feature schema is not its own.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The manifest format this code reads and writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The output name of contract v1.</summary>
    public const string DefaultOutput = "p_good";

    /// <summary>The label order of contract v1: the output holds [p_small, p_mid].</summary>
    public static IReadOnlyList<string> ContractLabels { get; } = [TierNames.Small, TierNames.Mid];


    [JsonPropertyName("format")]
    public int Format { get; init; } = CurrentFormat;

    /// <summary>Tier names in output order.</summary>
    [JsonPropertyName("labels")]
    public IReadOnlyList<string> Labels { get; init; } = ContractLabels;

    [JsonPropertyName("input")]
    public ModelInput Input { get; init; } = new();

    /// <summary>The name of the float32[2] output.</summary>
    [JsonPropertyName("output")]
    public string Output { get; init; } = DefaultOutput;

    [JsonPropertyName("featureSchema")]
    public FeatureSchemaReference FeatureSchema { get; init; } = new();

    /// <summary>A hash of the training data (the trainer decides which).</summary>
    [JsonPropertyName("dataHash")]
    public string? DataHash { get; init; }

    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    /// <summary>Free-form figures the trainer records (evaluation, sizes, architecture).</summary>
    [JsonPropertyName("metrics")]
    public JsonObject? Metrics { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>What trained the model, such as <c>rightsize train 1.0 (sparse-mlp)</c>.</summary>
    [JsonPropertyName("trainer")]
    public string? Trainer { get; init; }

    /// <summary>Fields this version does not know; kept so that a rewrite loses nothing.</summary>
    /// <remarks>Settable (not init-only) because System.Text.Json fills extension data after construction.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Reads a manifest; throws <see cref="ClassifierModelException"/> naming the file when it is missing, unreadable or malformed.</summary>
    public static ModelManifest Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ClassifierModelException($"The model manifest '{path}' does not exist. A model directory holds {ModelFiles.Model}, {ModelFiles.Manifest} and {ModelFiles.GoldenVectors}; train one with 'rightsize train --data FILE --out DIR'.");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream);
        }
        catch (JsonException ex)
        {
            var at = ex.LineNumber is { } line ? $" (line {line + 1})" : string.Empty;
            throw new ClassifierModelException($"The model manifest '{path}' is not valid JSON for manifest format {CurrentFormat}{at}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ClassifierModelException($"The model manifest '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Parses a manifest from UTF-8 JSON. <c>input</c> and <c>featureSchema</c> must be objects;
    /// tensor names and labels left out (or null) take their defaults.
    /// </summary>
    public static ModelManifest Parse(Stream utf8Json)
    {
        var manifest = JsonSerializer.Deserialize(utf8Json, ModelManifestJsonContext.Default.ModelManifest)
            ?? throw new JsonException("The manifest is null.");
        RequireObject(manifest.Input, "input");
        RequireObject(manifest.FeatureSchema, "featureSchema");

        // Source-generated deserialisation sets an init-only property the JSON leaves out to null,
        // not to its initialiser's value, so the documented defaults are restored here.
        return manifest with
        {
            Labels = manifest.Labels ?? ContractLabels,
            Output = manifest.Output ?? DefaultOutput,
            Input = manifest.Input with { Indices = manifest.Input.Indices ?? ModelInput.DefaultIndices, Values = manifest.Input.Values ?? ModelInput.DefaultValues },
            FeatureSchema = manifest.FeatureSchema with { Hash = manifest.FeatureSchema.Hash ?? string.Empty },
        };
    }

    // The properties are non-nullable, but JSON can still leave them out or say null.
    private static void RequireObject(object? value, string field)
    {
        if (value is null) throw new JsonException($"'{field}' is missing or null; the manifest needs it to check the model against the gateway.");
    }

    /// <summary>
    /// Refuses, naming <paramref name="path"/>, a manifest whose model this build cannot use: another
    /// manifest format, labels other than the contract's [small, mid], empty tensor names, or a
    /// feature schema (version, hash, dimension) other than <paramref name="schema"/>. The gateway
    /// and the <c>rightsize</c> command check models with this one method.
    /// </summary>
    /// <exception cref="ClassifierModelException">The manifest does not fit.</exception>
    public void CheckUsableWith(FeatureSchema schema, string path)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (Format != CurrentFormat)
        {
            throw new ClassifierModelException($"{path}: manifest format {Format}; this version of RightSize reads format {CurrentFormat}. Retrain the model with this version, or use the version that wrote it.");
        }

        if (!Labels.SequenceEqual(ContractLabels, StringComparer.Ordinal))
        {
            throw new ClassifierModelException($"{path}: labels [{string.Join(", ", Labels)}]; the contract's output order is [{string.Join(", ", ContractLabels)}].");
        }

        if (Input.Indices.Length == 0 || Input.Values.Length == 0) throw new ClassifierModelException($"{path}: 'input' must name the model's 'indices' and 'values' inputs.");
        if (Output.Length == 0) throw new ClassifierModelException($"{path}: 'output' must name the model's output.");
        if (!schema.Accepts(FeatureSchema.Hash) || FeatureSchema.Version != schema.Version || Input.Dimension != schema.Dimension)
        {
            var hash = FeatureSchema.Hash.Length == 0 ? "missing" : FeatureSchema.Hash;
            throw new ClassifierModelException(
                $"{path}: the model was trained with feature schema v{FeatureSchema.Version} (hash {hash}, dimension {Input.Dimension}), "
                + $"but this build extracts features with schema v{schema.Version} (hash {schema.Hash}, dimension {schema.Dimension}). "
                + "Its predictions would be meaningless, so it is refused. Retrain the model with this version ('rightsize train --data FILE --out DIR'), or run the gateway version that matches the model.");
        }
    }

    /// <summary>Writes the manifest as indented UTF-8 JSON.</summary>
    public void Write(Stream utf8Json) => JsonSerializer.Serialize(utf8Json, this, ModelManifestJsonContext.Default.ModelManifest);

    /// <summary>Writes the manifest to a file, replacing it.</summary>
    public void WriteToFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        Write(stream);
    }
}
