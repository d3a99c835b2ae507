using System.Globalization;
using RightSize.Features;

namespace RightSize.Training.Training;

/// <summary>Settings of <see cref="SparseTrainer"/>. The defaults train the shipped model.</summary>
public sealed record TrainerOptions
{
    /// <summary>Seeds the shuffling and the held-out split; same seed and data give the same model bytes.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Hidden-layer model: passes over the training rows; the pass with the lowest held-out loss is kept.</summary>
    public int Epochs { get; init; } = 6;

    /// <summary>The largest <see cref="LearningRate"/> accepted.</summary>
    public const float MaxLearningRate = 1f;

    /// <summary>Hidden-layer model: Adagrad step size, above 0 and at most <see cref="MaxLearningRate"/>.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Hidden-layer model: L2 penalty per touched weight and step.</summary>
    public float L2 { get; init; } = 1e-4f;

    /// <summary>
    /// Weight of a row's own outcome in its training target; the rest comes from the row's
    /// consensus (share of its many models reaching the frontier's score) when it has one.
    /// 1 trains on the raw 0/1 outcomes only. Held-out loss and calibration always use raw outcomes.
    /// </summary>
    public float OutcomeWeight { get; init; } = 0.5f;

    /// <summary>Width of the ReLU hidden layer; 0 trains the logistic model (see <see cref="LogisticTrainer"/>).</summary>
    public int HiddenSize { get; init; } = 16;

    /// <summary>
    /// With a hidden layer: members trained with different seeds (initialisation and shuffle, same
    /// held-out split) and folded into one graph of width EnsembleSize·HiddenSize whose logits are
    /// the members' mean; calibrated once on the merged logits.
    /// </summary>
    public int EnsembleSize { get; init; } = 1;

    /// <summary>
    /// The structural slot that gates the mid head (-1: no gate). Rows
    /// with the slot on train, and are scored by, a second mid output, so a family of prompts
    /// labelled by another model pair (here: 5+ option letters, MMLU-Pro's Gemini-Flash vs GPT-4o)
    /// does not share the mid output weights with the rest (Mixtral vs GPT-4).
    /// </summary>
    public int MidGateSlot { get; init; } = (int)StructuralSlot.ManyOptions;

    /// <summary>With a mid gate: gated rows also train the plain mid output, so it keeps learning from every row.</summary>
    public bool GatedRowsTrainPlain { get; init; } = true;

    /// <summary>
    /// Reserve hidden unit 0 as a frozen, hand-set difficulty prior over
    /// structural slots (see <see cref="ChatPrior"/>), so chat prompts with reasoning, maths or
    /// code markers rank below greetings and simple requests whatever the exam data says.
    /// </summary>
    public bool ChatPrior { get; init; } = true;

    /// <summary>Logistic model (HiddenSize 0): inverse L2 strength C; each output minimises C·Σ log loss + ½‖w‖².</summary>
    public double RegularizationC { get; init; } = 1.0;

    /// <summary>Share of rows held out (by a seeded hash of the last message's first line, so copies of a question stay together) for early stopping and Platt calibration.</summary>
    public double HoldOutShare { get; init; } = 0.1;

    /// <summary>
    /// The largest ONNX file written: protobuf, which carries the weights, cannot encode a message of
    /// 2 GiB or more; 1 MiB is left for everything beside the embedding.
    /// </summary>
    public const long MaxOnnxBytes = (1L << 31) - (1L << 20);

    /// <summary>The feature extractor (its schema goes into the manifest).</summary>
    public FeatureExtractor Features { get; init; } = FeatureExtractor.Default;

    /// <summary>
    /// Every setting outside its range, one sentence each, such as <c>Epochs must be at least 1 (got 0).</c>
    /// Empty when the options can train. <paramref name="name"/> spells a property's name the
    /// caller's way (the command line passes its option names); the property name by default.
    /// </summary>
    public IReadOnlyList<string> Problems(Func<string, string>? name = null)
    {
        name ??= static property => property;
        var problems = new List<string>();
        void Add(string property, string requirement, IFormattable value) =>
            problems.Add($"{name(property)} must be {requirement} (got {value.ToString(null, CultureInfo.InvariantCulture)}).");

        if (Epochs < 1) Add(nameof(Epochs), "at least 1", Epochs);
        // Above 1 the step overflows float32 weights to infinity within an epoch, or saturates every output.
        if (!(LearningRate is > 0 and <= MaxLearningRate)) Add(nameof(LearningRate), "above 0 and at most 1", LearningRate);
        if (!(float.IsFinite(L2) && L2 >= 0)) Add(nameof(L2), "a finite number, 0 or more", L2);
        if (!(OutcomeWeight is >= 0 and <= 1)) Add(nameof(OutcomeWeight), "between 0 and 1", OutcomeWeight);
        if (HiddenSize < 0) Add(nameof(HiddenSize), "0 (logistic) or more", HiddenSize);
        if (EnsembleSize < 1) Add(nameof(EnsembleSize), "at least 1", EnsembleSize);
        if (!(double.IsFinite(RegularizationC) && RegularizationC > 0)) Add(nameof(RegularizationC), "a finite number above 0", RegularizationC);
        if (!(HoldOutShare is >= 0 and < 1)) Add(nameof(HoldOutShare), "at least 0 and below 1", HoldOutShare);
        if (HiddenSize >= 1 && EnsembleSize >= 1 && (long)HiddenSize * EnsembleSize > MaxHiddenUnits)
        {
            problems.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{name(nameof(HiddenSize))} × {name(nameof(EnsembleSize))} must be at most {MaxHiddenUnits} (got {HiddenSize} × {EnsembleSize}): the model's ONNX file would hold {Features.Schema.Dimension} × (units + 2) float32 weights, more than the 2 GB an ONNX file can hold."));
        }

        return problems;
    }

    /// <summary>
    /// The most hidden units (HiddenSize × EnsembleSize) whose embedding, <c>Dimension × (units + 2)</c>
    /// float32 weights in the ONNX file (the gate and bias columns beside the units), stays within
    /// <see cref="MaxOnnxBytes"/>.
    /// </summary>
    public long MaxHiddenUnits => (MaxOnnxBytes / (sizeof(float) * (long)Features.Schema.Dimension)) - 2;
}
