using System.Buffers.Binary;
using Google.Protobuf;
using RightSize.Training.Onnx.Proto;

namespace RightSize.Training.Onnx;

/// <summary>Builds <see cref="TensorProto"/> values with little-endian <c>raw_data</c>, as the IR requires.</summary>
internal static class OnnxTensors
{
    public static TensorProto Float(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var bytes = new byte[data.Length * sizeof(float)];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
        }

        return Create(name, TensorProto.Types.DataType.Float, bytes, dims);
    }

    public static TensorProto Int64(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        CheckCount(name, data.Length, dims);
        var bytes = new byte[data.Length * sizeof(long)];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), data[i]);
        }

        return Create(name, TensorProto.Types.DataType.Int64, bytes, dims);
    }

    private static TensorProto Create(string name, TensorProto.Types.DataType type, byte[] bytes, long[] dims)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)type,
            RawData = UnsafeByteOperations.UnsafeWrap(bytes),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        long expected = 1;
        foreach (var dim in dims) expected *= dim;
        if (expected != count)
        {
            throw new ArgumentException($"Tensor '{name}' has {count} values but its shape holds {expected}.", nameof(dims));
        }
    }
}
