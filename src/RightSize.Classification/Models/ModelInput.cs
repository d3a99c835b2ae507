using System.Text.Json.Serialization;

namespace RightSize.Classification.Models;

/// <summary>The model's sparse input: tensor names and the size of the index space.</summary>
public sealed record ModelInput
{
    /// <summary>The indices input name of contract v1.</summary>
    public const string DefaultIndices = "indices";

    /// <summary>The values input name of contract v1.</summary>
    public const string DefaultValues = "values";

    /// <summary>The int64[N] input of feature indices.</summary>
    [JsonPropertyName("indices")]
    public string Indices { get; init; } = DefaultIndices;

    /// <summary>The float32[N] input of feature values.</summary>
    [JsonPropertyName("values")]
    public string Values { get; init; } = DefaultValues;

    /// <summary>Indices are below this bound; it must equal the feature schema's dimension.</summary>
    [JsonPropertyName("dimension")]
    public int Dimension { get; init; }
}
