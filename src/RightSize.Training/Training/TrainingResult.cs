using RightSize.Features;
using RightSize.Training.Model;

namespace RightSize.Training.Training;

/// <summary>A trained model and what the run learned about itself.</summary>
public sealed record TrainingResult(
    SparseModel Model,
    FeatureSchema Schema,
    int TrainRows,
    int HeldOutRows,
    IReadOnlyList<double> HeldOutLoss,
    IReadOnlyList<int> BestEpoch);
