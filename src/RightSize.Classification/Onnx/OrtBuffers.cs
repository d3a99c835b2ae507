using Microsoft.ML.OnnxRuntime;

namespace RightSize.Classification.Onnx;

/// <summary>
/// One caller's inference buffers: pinned input arrays that grow on demand, a pinned output
/// with its <see cref="OrtValue"/> made once, and the argument arrays handed to ONNX Runtime.
/// </summary>
internal sealed class OrtBuffers : IDisposable
{
    private const int InitialCapacity = 1024;

    private readonly float[] _output = GC.AllocateArray<float>(2, pinned: true);

    public OrtBuffers()
    {
        Outputs = [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(), [2])];
    }

    public long[] Indices { get; private set; } = GC.AllocateUninitializedArray<long>(InitialCapacity, pinned: true);

    public float[] Values { get; private set; } = GC.AllocateUninitializedArray<float>(InitialCapacity, pinned: true);

    /// <summary>The [N] shape of both inputs; reused, since ONNX Runtime copies it.</summary>
    public long[] Shape { get; } = new long[1];

    /// <summary>The input values of the current call, in input-name order.</summary>
    public OrtValue[] Inputs { get; } = new OrtValue[2];

    public OrtValue[] Outputs { get; }

    public ReadOnlySpan<float> Output => _output;

    public void EnsureCapacity(int count)
    {
        if (count <= Indices.Length) return;
        var size = Math.Max(count, Indices.Length * 2);
        Indices = GC.AllocateUninitializedArray<long>(size, pinned: true);
        Values = GC.AllocateUninitializedArray<float>(size, pinned: true);
    }

    public void Dispose() => Outputs[0].Dispose();
}
