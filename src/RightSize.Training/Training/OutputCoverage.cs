namespace RightSize.Training.Training;

/// <summary>
/// Which raw outputs of a model (small, mid, and with a mid gate the mid for gated prompts) have
/// labelled training rows. An output without any has learned nothing: the trainers make it say
/// "never good enough" (<see cref="UntrainedLogit"/>, no weight from any unit) instead of serving
/// its initial weights, so no route sends a prompt to a tier the data never judged.
/// </summary>
internal sealed class OutputCoverage
{
    /// <summary>
    /// The raw logit of an untrained output. Its sigmoid is 0 in float even after a Platt scale
    /// shared with a trained output (scale·z + offset stays far below −88), so p ≈ 0 and
    /// p_small = min(p_small, p_mid) stays monotone.
    /// </summary>
    public const float UntrainedLogit = -1024f;

    private const int Small = 0;
    private const int Mid = 1;
    private const int MidGated = 2;

    private static readonly string[] Names = ["small", "mid", "mid-gated"];

    private readonly bool[] _trained;

    private OutputCoverage(bool gated, bool[] trained)
    {
        Gated = gated;
        _trained = trained;
    }

    /// <summary>Whether the model has the gated mid output.</summary>
    public bool Gated { get; }

    public int Outputs => _trained.Length;

    /// <summary>The names of the outputs no training row labels, in output order: <c>small</c>, <c>mid</c>, <c>mid-gated</c>.</summary>
    public IReadOnlyList<string> Untrained => [.. Enumerable.Range(0, Outputs).Where(o => !_trained[o]).Select(o => Names[o])];

    public bool IsTrained(int output) => _trained[output];

    /// <summary>Whether the row's label for <paramref name="head"/> trains an output (and may calibrate it).</summary>
    public bool Covers(FeaturizedRows data, int row, int head) => _trained[data.OutputFor(row, head, Gated)];

    public static OutputCoverage Of(FeaturizedRows data, int[] train, bool gated, bool gatedRowsTrainPlain)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(train);
        var trained = new bool[gated ? 3 : 2];
        for (var o = 0; o < trained.Length; o++) trained[o] = RowsOf(data, train, o, gated, gatedRowsTrainPlain).Length > 0;
        return new OutputCoverage(gated, trained);
    }

    /// <summary>
    /// The training rows that train output <paramref name="output"/>: small, rows with a small label;
    /// plain mid, rows with a mid label (gated ones only with <paramref name="gatedRowsTrainPlain"/>);
    /// gated mid, gated rows with a mid label.
    /// </summary>
    public static int[] RowsOf(FeaturizedRows data, int[] train, int output, bool gated, bool gatedRowsTrainPlain)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(train);
        var head = output == Small ? Small : Mid;
        var rows = new List<int>(train.Length);
        foreach (var r in train)
        {
            if (float.IsNaN(data.Target(r, head))) continue;
            var gate = gated && data.Gate(r);
            var take = output switch
            {
                Small => true,
                Mid => !gate || gatedRowsTrainPlain,
                MidGated => gate,
                _ => throw new ArgumentOutOfRangeException(nameof(output)),
            };
            if (take) rows.Add(r);
        }

        return [.. rows];
    }
}
