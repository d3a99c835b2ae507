namespace RightSize.Classification.Models;

/// <summary>The files of a model directory.</summary>
public static class ModelFiles
{
    public const string Model = "model.onnx";

    public const string Manifest = "manifest.json";

    public const string GoldenVectors = "golden.jsonl";
}
