namespace RightSize.Training.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size, or a symbol such as <c>N</c>.</summary>
internal readonly record struct OnnxDim(long Size, string? Symbol)
{
    public static OnnxDim Fixed(long size) => new(size, null);

    public static OnnxDim Named(string symbol) => new(0, symbol);
}
