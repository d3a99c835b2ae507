namespace RightSize.Classification;

/// <summary>What the gateway reports about the loaded classifier model (in <c>/readyz</c> and decisions).</summary>
/// <param name="Name">A short name for the model, such as its directory name.</param>
/// <param name="Path">Where the model was loaded from.</param>
/// <param name="FeatureSchemaHash">The feature schema hash the model was trained with.</param>
public sealed record ClassifierModelInfo(string Name, string Path, string FeatureSchemaHash);
