namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Classifier</c>: where the difficulty model lives.</summary>
public sealed class ClassifierOptions
{
    /// <summary>
    /// Path to <c>model.onnx</c> (its directory holds <c>manifest.json</c>), relative to the content
    /// root or absolute. Empty: no classifier; routes without a fixed tier use their <c>DefaultTier</c>.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>Run the model's golden vectors through the inference path at start-up and refuse a model that disagrees.</summary>
    public bool VerifyGoldenVectors { get; set; } = true;
}
