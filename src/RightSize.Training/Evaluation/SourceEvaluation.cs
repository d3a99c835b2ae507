namespace RightSize.Training.Evaluation;

/// <summary>Figures of one router (model, random or oracle) on one source; NaN where a figure is undefined (no quality gap, or a tier the model does not judge).</summary>
public sealed record RouterFigures(double Apgr, double Cpt50, double Cpt80, double FrontierCutAt95, double CostShareAt95, double? ThreeTierCostShareAt95);

/// <summary>The measures of one source: mid vs frontier, and three tiers when the source has them.</summary>
public sealed record SourceEvaluation(string Source, int Rows, double MidQuality, double FrontierQuality, RouterFigures Model, RouterFigures Random, RouterFigures Oracle);
