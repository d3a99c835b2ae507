using RightSize.Classification.Onnx;
using RightSize.Training.Model;
using RightSize.Training.Onnx;

namespace RightSize.Training.Tests;

/// <summary>A model with a gated mid head: ONNX Runtime must agree with the reference forward pass, with the gate slot absent (0) or 1, the values the extractor writes there.</summary>
public class GatedOnnxRoundTripTests
{
    private const int Dimension = 300;
    private const int GateSlot = 17;

    [Theory]
    [InlineData(8, 1)]
    [InlineData(32, 2)]
    public void Predict_GatedModel_MatchesReferenceForward(int hiddenSize, int seed)
    {
        var random = new Random(seed);
        var model = new SparseModel
        {
            Dimension = Dimension,
            HiddenSize = hiddenSize,
            Embedding = Floats(random, Dimension * hiddenSize, 0.5f),
            HiddenBias = Floats(random, hiddenSize, 0.2f),
            OutputWeights = Floats(random, hiddenSize * 3, 0.8f),
            OutputBias = Floats(random, 3, 0.5f),
            GateSlot = GateSlot,
            CalibrationScale = [0.7f, 1.3f],
            CalibrationOffset = [0.1f, -0.2f],
        };
        var path = Path.Combine(Path.GetTempPath(), $"rightsize-gated-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelExporter.ExportToFile(model, path);
            using var session = SparseOnnxSession.Open(path, Dimension, "indices", "values", "p_good");
            var expected = new float[2];
            var actual = new float[2];
            var gatedMidDiffers = false;
            for (var trial = 0; trial < 200; trial++)
            {
                var (indices, values) = Input(random, 1 + random.Next(60), gate: trial % 2 == 0);
                SparseModelForward.Predict(model, indices, values, expected);
                session.Predict(indices, values, actual);
                Assert.Equal(expected[0], actual[0], 1e-5);
                Assert.Equal(expected[1], actual[1], 1e-5);
                Assert.True(actual[0] <= actual[1]);

                // The gate picks the third output: dropping the gate entry changes p_mid by more than the entry's own embedding row could explain alone.
                if (trial % 2 == 0) gatedMidDiffers |= Math.Abs(expected[1] - Ungated(model, indices, values)) > 1e-3;
            }

            Assert.True(gatedMidDiffers, "the gate never changed p_mid");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float Ungated(SparseModel model, long[] indices, float[] values)
    {
        var plain = new SparseModel
        {
            Dimension = model.Dimension,
            HiddenSize = model.HiddenSize,
            Embedding = model.Embedding,
            HiddenBias = model.HiddenBias,
            OutputWeights = ThreeToTwo(model.OutputWeights),
            OutputBias = [model.OutputBias[0], model.OutputBias[1]],
            CalibrationScale = model.CalibrationScale,
            CalibrationOffset = model.CalibrationOffset,
        };
        var p = new float[2];
        SparseModelForward.Predict(plain, indices, values, p);
        return p[1];
    }

    private static float[] ThreeToTwo(float[] weights)
    {
        var rows = weights.Length / 3;
        var result = new float[rows * 2];
        for (var j = 0; j < rows; j++)
        {
            result[j * 2] = weights[j * 3];
            result[(j * 2) + 1] = weights[(j * 3) + 1];
        }

        return result;
    }

    private static (long[] Indices, float[] Values) Input(Random random, int count, bool gate)
    {
        var set = new SortedSet<long>();
        while (set.Count < count)
        {
            long index = 1 + random.Next(Dimension - 1);
            if (index != GateSlot) set.Add(index);
        }

        if (gate) set.Add(GateSlot);
        set.Add(0); // the Bias slot, 1 in every vector the extractor writes: the exported graph carries the biases there
        var indices = set.ToArray();
        var values = new float[indices.Length];
        for (var i = 0; i < values.Length; i++) values[i] = indices[i] is GateSlot or 0 ? 1f : (random.NextSingle() * 2f) - 0.5f;
        return (indices, values);
    }

    private static float[] Floats(Random random, int count, float scale)
    {
        var array = new float[count];
        for (var i = 0; i < count; i++) array[i] = ((random.NextSingle() * 2f) - 1f) * scale;
        return array;
    }
}
