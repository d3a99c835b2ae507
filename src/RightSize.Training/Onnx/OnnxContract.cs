namespace RightSize.Training.Onnx;

/// <summary>
/// The names and versions of ONNX contract v1, shared by the exporter and any reader.
/// Inputs <c>indices</c> (int64[N]) and <c>values</c> (float32[N]); output <c>p_good</c>
/// (float32[2] = [p_small, p_mid]).
/// </summary>
public static class OnnxContract
{
    public const int Version = 1;

    public const string IndicesInput = "indices";

    public const string ValuesInput = "values";

    public const string Output = "p_good";

    /// <summary>The default-domain operator set the graph binds to.</summary>
    public const long OpsetVersion = 17;

    /// <summary>ONNX IR version 8 (the first with opset 17 support in every current runtime).</summary>
    public const long IrVersion = 8;

    public const string ProducerName = "RightSize";

    /// <summary>A fixed producer version: the bytes depend on the weights only, never on the build.</summary>
    public const string ProducerVersion = "contract-v1";
}
