namespace RightSize.Classification;

/// <summary>What the gateway reports about the loaded classifier model (in <c>/readyz</c> and decisions).</summary>
/// <param name="Name">A short name for the model, such as its directory name.</param>
/// <param name="Path">Where the model was loaded from.</param>
/// <param name="FeatureSchemaHash">The feature schema hash the model was trained with.</param>
public sealed record ClassifierModelInfo(string Name, string Path, string FeatureSchemaHash)
{
    /// <summary>When the trainer wrote the model (the manifest's <c>createdAt</c>); null when the manifest does not say.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The hash of the training data (the manifest's <c>dataHash</c>); null when the manifest does not say.</summary>
    public string? DataHash { get; init; }

    /// <summary>
    /// The SHA-256 of the <c>model.onnx</c> file loaded, 64 lower-case hex digits (as <c>sha256sum</c>
    /// prints it): tells apart two models retrained into the same directory, whatever their manifests say.
    /// </summary>
    public string? ModelSha256 { get; init; }
}
