namespace RightSize.Training.Training;

/// <summary>Progress of a training run, for a progress display.</summary>
/// <param name="Stage">What is happening: <c>features</c>, <c>epoch</c> (hidden-layer model), <c>fit</c> (logistic model, one unit per output), <c>calibrate</c>.</param>
/// <param name="Done">Units done in this stage.</param>
/// <param name="Total">Units in this stage.</param>
/// <param name="HeldOutLoss">Mean held-out log loss after an epoch, when known.</param>
public readonly record struct TrainingProgress(string Stage, int Done, int Total, double? HeldOutLoss = null);
