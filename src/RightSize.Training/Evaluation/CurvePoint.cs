namespace RightSize.Training.Evaluation;

/// <summary>One point of a two-tier routing curve: the share of calls sent to the strong tier and the mean score.</summary>
public readonly record struct CurvePoint(double StrongShare, double Quality);
