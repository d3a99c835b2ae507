using System.Text.Json.Serialization;

namespace RightSize.Classification.Models;

/// <summary>The feature schema a model was trained with (see <c>RightSize.Features.FeatureSchema</c>).</summary>
public sealed record FeatureSchemaReference
{
    [JsonPropertyName("version")]
    public int Version { get; init; }

    [JsonPropertyName("hash")]
    public string Hash { get; init; } = string.Empty;
}
