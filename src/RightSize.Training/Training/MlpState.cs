namespace RightSize.Training.Training;

/// <summary>
/// Weights and Adagrad accumulators of the one-hidden-layer model of the ONNX contract:
/// h = Σ v·E[i] + b1, a = relu(h), z = a·W2 + b2. Embedding rows are updated sparsely (only the
/// features a row has); the dense hidden/output parameters on every step. Single-threaded, so a
/// fixed row order gives the same weights bit for bit.
/// </summary>
internal sealed class MlpState
{
    private const float Epsilon = 1e-6f;
    private const int Heads = 2;
    private readonly int _outputs;
    private readonly float[] _embeddingSquares;
    private readonly float[] _hiddenBiasSquares;
    private readonly float[] _outputWeightSquares;
    private readonly float[] _outputBiasSquares;
    private readonly float[] _hidden;
    private readonly float[] _gradHidden;

    public MlpState(int dimension, int hiddenSize, int seed, IReadOnlyList<(int Slot, float Weight)>? prior = null, float priorBias = 0f, float priorOutput = 0f, bool gated = false)
    {
        HiddenSize = hiddenSize;
        Gated = gated;
        _outputs = gated ? Heads + 1 : Heads;
        Embedding = new float[(long)dimension * hiddenSize];
        _embeddingSquares = new float[Embedding.Length];
        HiddenBias = new float[hiddenSize];
        _hiddenBiasSquares = new float[hiddenSize];
        OutputWeights = new float[hiddenSize * _outputs];
        _outputWeightSquares = new float[OutputWeights.Length];
        OutputBias = new float[_outputs];
        _outputBiasSquares = new float[_outputs];
        _hidden = new float[hiddenSize];
        _gradHidden = new float[hiddenSize];

        // Seeded initialisation: small embeddings, output weights of both signs so that units
        // start out useful to either head, hidden biases slightly positive so units start active.
        var random = new Random(seed);
        for (var i = 0; i < Embedding.Length; i++) Embedding[i] = (float)((random.NextDouble() * 2) - 1) * 0.01f;
        var scale = 1f / MathF.Sqrt(hiddenSize);
        for (var i = 0; i < OutputWeights.Length; i++) OutputWeights[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        for (var j = 0; j < hiddenSize; j++) HiddenBias[j] = 0.1f;

        // The prior unit (unit 0, frozen): a hand-set difficulty score over named structural
        // slots, relu'd, pushing both logits down by priorOutput per unit of difficulty.
        if (prior is { Count: > 0 })
        {
            HasPrior = true;
            for (var d = 0; d < dimension; d++) Embedding[(long)d * hiddenSize] = 0f;
            foreach (var (slot, weight) in prior) Embedding[(long)slot * hiddenSize] = weight;
            HiddenBias[0] = priorBias;
            for (var t = 0; t < _outputs; t++) OutputWeights[t] = -priorOutput;
        }
    }

    /// <summary>Whether unit 0 is the frozen prior unit.</summary>
    public bool HasPrior { get; }

    public int HiddenSize { get; }

    /// <summary>
    /// Three outputs [small, mid, mid when gated]: a row whose gate is on trains (and is scored by)
    /// the third output instead of the second (see <see cref="FeaturizedRows.Gate"/>).
    /// </summary>
    public bool Gated { get; }

    /// <summary>Gated rows also train the plain mid output (it learns from every row; the gated one from gated rows only).</summary>
    public bool GatedRowsTrainPlain { get; init; }

    public float[] Embedding { get; }

    public float[] HiddenBias { get; }

    public float[] OutputWeights { get; }

    public float[] OutputBias { get; }

    /// <summary>
    /// Makes <paramref name="output"/> say "never good enough": no weight from any unit (the prior
    /// unit's included) and the bias <see cref="OutputCoverage.UntrainedLogit"/>. For an output no
    /// row trains: <see cref="Step"/> never changes it, so it stays so.
    /// </summary>
    public void MarkUntrained(int output)
    {
        for (var j = 0; j < HiddenSize; j++) OutputWeights[(j * _outputs) + output] = 0f;
        OutputBias[output] = OutputCoverage.UntrainedLogit;
    }

    /// <summary>Both logits of one row (uses internal scratch: not thread-safe).</summary>
    public void Logits(FeaturizedRows data, int row, Span<double> z)
    {
        Forward(data, row);
        for (var t = 0; t < Heads; t++)
        {
            var o = data.OutputFor(row, t, Gated);
            var sum = (double)OutputBias[o];
            for (var j = 0; j < HiddenSize; j++) sum += _hidden[j] * OutputWeights[(j * _outputs) + o];
            z[t] = sum;
        }
    }


    private void Forward(FeaturizedRows data, int row)
    {
        var indices = data.RowIndices(row);
        var values = data.RowValues(row);
        var width = HiddenSize;
        HiddenBias.AsSpan().CopyTo(_hidden);
        var hidden = _hidden.AsSpan();
        for (var k = 0; k < indices.Length; k++)
        {
            var e = Embedding.AsSpan(indices[k] * width, width);
            var v = values[k];
            for (var j = 0; j < width; j++) hidden[j] += v * e[j];
        }

        for (var j = 0; j < width; j++) hidden[j] = MathF.Max(0f, hidden[j]);
    }

    public void Step(FeaturizedRows data, int row, float learningRate, float l2)
    {
        Forward(data, row);
        var width = HiddenSize;
        Span<float> dz = stackalloc float[_outputs];
        dz.Clear();
        var any = false;
        for (var t = 0; t < Heads; t++)
        {
            var y = data.Target(row, t);
            if (float.IsNaN(y)) continue;
            var o = data.OutputFor(row, t, Gated);
            var z = OutputBias[o];
            for (var j = 0; j < width; j++) z += _hidden[j] * OutputWeights[(j * _outputs) + o];
            dz[o] = (float)PlattScaling.Sigmoid(z) - y;
            any = true;
            if (o == 2 && GatedRowsTrainPlain)
            {
                var zp = OutputBias[1];
                for (var j = 0; j < width; j++) zp += _hidden[j] * OutputWeights[(j * _outputs) + 1];
                dz[1] = (float)PlattScaling.Sigmoid(zp) - y;
            }
        }

        if (!any) return;
        var gradHidden = _gradHidden.AsSpan();
        for (var j = 0; j < width; j++)
        {
            var a = _hidden[j];
            var g = 0f;
            if (HasPrior && j == 0)
            {
                gradHidden[0] = 0f;
                continue;
            }

            for (var t = 0; t < _outputs; t++)
            {
                var at = (j * _outputs) + t;
                g += OutputWeights[at] * dz[t];
                if (dz[t] == 0f) continue;
                var gw = a * dz[t];
                _outputWeightSquares[at] += gw * gw;
                OutputWeights[at] -= learningRate * gw / MathF.Sqrt(_outputWeightSquares[at] + Epsilon);
            }

            gradHidden[j] = a > 0f ? g : 0f;
            if (gradHidden[j] != 0f)
            {
                _hiddenBiasSquares[j] += gradHidden[j] * gradHidden[j];
                HiddenBias[j] -= learningRate * gradHidden[j] / MathF.Sqrt(_hiddenBiasSquares[j] + Epsilon);
            }
        }

        for (var t = 0; t < _outputs; t++)
        {
            if (dz[t] == 0f) continue;
            _outputBiasSquares[t] += dz[t] * dz[t];
            OutputBias[t] -= learningRate * dz[t] / MathF.Sqrt(_outputBiasSquares[t] + Epsilon);
        }

        var indices = data.RowIndices(row);
        var values = data.RowValues(row);
        for (var k = 0; k < indices.Length; k++)
        {
            var offset = indices[k] * width;
            var e = Embedding.AsSpan(offset, width);
            var s = _embeddingSquares.AsSpan(offset, width);
            var v = values[k];
            for (var j = HasPrior ? 1 : 0; j < width; j++)
            {
                var grad = (v * gradHidden[j]) + (l2 * e[j]);
                s[j] += grad * grad;
                e[j] -= learningRate * grad / MathF.Sqrt(s[j] + Epsilon);
            }
        }
    }

    public void CopyFrom(MlpState other)
    {
        other.Embedding.AsSpan().CopyTo(Embedding);
        other.HiddenBias.AsSpan().CopyTo(HiddenBias);
        other.OutputWeights.AsSpan().CopyTo(OutputWeights);
        other.OutputBias.AsSpan().CopyTo(OutputBias);
    }

    /// <summary>
    /// Folds K members of one width into one state of width K·width: block-diagonal in effect
    /// (each member's units see only its own embedding columns), output weights divided by K and
    /// output biases averaged, so the merged logits are the members' mean logits.
    /// </summary>
    public static MlpState Merge(IReadOnlyList<MlpState> members)
    {
        var k = members.Count;
        var width = members[0].HiddenSize;
        var dimension = members[0].Embedding.Length / width;
        var merged = new MlpState(dimension, k * width, 0, gated: members[0].Gated);
        var outputs = members[0]._outputs;
        var total = k * width;
        for (var m = 0; m < k; m++)
        {
            var member = members[m];
            for (var d = 0; d < dimension; d++)
            {
                member.Embedding.AsSpan(d * width, width).CopyTo(merged.Embedding.AsSpan((d * total) + (m * width), width));
            }

            member.HiddenBias.AsSpan().CopyTo(merged.HiddenBias.AsSpan(m * width, width));
            for (var i = 0; i < member.OutputWeights.Length; i++) merged.OutputWeights[(m * width * outputs) + i] = member.OutputWeights[i] / k;
        }

        for (var t = 0; t < outputs; t++)
        {
            var sum = 0f;
            foreach (var member in members) sum += member.OutputBias[t];
            merged.OutputBias[t] = sum / k;
        }

        return merged;
    }
}
