using Microsoft.ML.OnnxRuntime;

namespace RightSize.Classification.Onnx;

/// <summary>
/// One caller's ONNX Runtime arguments: a pinned output with its <see cref="OrtValue"/> made once,
/// the [N] input shape and the argument arrays handed to ONNX Runtime.
/// </summary>
internal sealed class OrtBuffers : IDisposable
{
    private readonly float[] _output = GC.AllocateArray<float>(2, pinned: true);

    public OrtBuffers()
    {
        Outputs = [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(), [2])];
    }

    /// <summary>The [N] shape of both inputs; reused, since ONNX Runtime copies it.</summary>
    public long[] Shape { get; } = new long[1];

    /// <summary>The input values of the current call, in input-name order.</summary>
    public OrtValue[] Inputs { get; } = new OrtValue[2];

    public OrtValue[] Outputs { get; }

    public ReadOnlySpan<float> Output => _output;

    public void Dispose() => Outputs[0].Dispose();
}
