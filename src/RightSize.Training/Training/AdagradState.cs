namespace RightSize.Training.Training;

/// <summary>Weights and Adagrad accumulators of the linear two-head model (row-major Dimension x heads).</summary>
internal sealed class AdagradState
{
    private const float Epsilon = 1e-6f;
    private readonly int _heads;
    private readonly float[] _squares;
    private readonly float[] _biasSquares;

    public AdagradState(int dimension, int heads)
    {
        _heads = heads;
        Weights = new float[(long)dimension * heads];
        _squares = new float[Weights.Length];
        Bias = new float[heads];
        _biasSquares = new float[heads];
    }

    public float[] Weights { get; }

    public float[] Bias { get; }

    public double Logit(FeaturizedRows data, int row, int head)
    {
        var indices = data.RowIndices(row);
        var values = data.RowValues(row);
        var z = Bias[head];
        for (var k = 0; k < indices.Length; k++) z += values[k] * Weights[(indices[k] * _heads) + head];
        return z;
    }

    public void Step(FeaturizedRows data, int row, float learningRate, float l2)
    {
        var indices = data.RowIndices(row);
        var values = data.RowValues(row);
        for (var h = 0; h < _heads; h++)
        {
            var y = data.Target(row, h);
            if (float.IsNaN(y)) continue; // masked: this head learns nothing from this row
            var g = (float)PlattScaling.Sigmoid(Logit(data, row, h)) - y;
            for (var k = 0; k < indices.Length; k++)
            {
                var at = (indices[k] * _heads) + h;
                var grad = (g * values[k]) + (l2 * Weights[at]);
                _squares[at] += grad * grad;
                Weights[at] -= learningRate * grad / MathF.Sqrt(_squares[at] + Epsilon);
            }

            _biasSquares[h] += g * g;
            Bias[h] -= learningRate * g / MathF.Sqrt(_biasSquares[h] + Epsilon);
        }
    }

    public void CopyHeadFrom(AdagradState other, int head)
    {
        for (var i = head; i < Weights.Length; i += _heads) Weights[i] = other.Weights[i];
        Bias[head] = other.Bias[head];
    }
}
