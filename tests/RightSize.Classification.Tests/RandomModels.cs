using RightSize.Training.Model;

namespace RightSize.Classification.Tests;

/// <summary>Seeded random models and inputs for round-trip tests.</summary>
internal static class RandomModels
{
    public static SparseModel Create(int seed, int dimension, int hiddenSize)
    {
        var random = new Random(seed);
        var width = hiddenSize == 0 ? SparseModel.OutputCount : hiddenSize;
        return new SparseModel
        {
            Dimension = dimension,
            HiddenSize = hiddenSize,
            Embedding = Floats(random, dimension * width, 0.5f),
            HiddenBias = Floats(random, hiddenSize, 0.2f),
            OutputWeights = Floats(random, hiddenSize * SparseModel.OutputCount, 0.8f),
            OutputBias = Floats(random, SparseModel.OutputCount, 0.5f),
            CalibrationScale = [0.5f + random.NextSingle(), 0.5f + random.NextSingle()],
            CalibrationOffset = Floats(random, SparseModel.OutputCount, 0.3f),
        };
    }

    /// <summary>
    /// A random sparse input shaped as the extractor writes one: the Bias slot (0) at 1, which the
    /// exported graph relies on to carry the biases, then <paramref name="count"/> entries at other
    /// indices; duplicates allowed when <paramref name="unique"/> is false.
    /// </summary>
    public static (long[] Indices, float[] Values) Input(Random random, int dimension, int count, bool unique)
    {
        if (unique) count = Math.Min(count, dimension - 1);
        var indices = new long[count + 1];
        var values = new float[count + 1];
        values[0] = 1f;
        var seen = new HashSet<long>();
        for (var i = 1; i <= count; i++)
        {
            long index;
            do index = 1 + random.Next(dimension - 1);
            while (unique && !seen.Add(index));
            indices[i] = index;
            values[i] = (random.NextSingle() * 2f) - 0.5f;
        }

        if (unique) Array.Sort(indices, values);
        return (indices, values);
    }

    private static float[] Floats(Random random, int count, float scale)
    {
        var array = new float[count];
        for (var i = 0; i < count; i++) array[i] = ((random.NextSingle() * 2f) - 1f) * scale;
        return array;
    }
}
