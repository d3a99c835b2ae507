namespace RightSize.Training.Evaluation;

/// <summary>Figures of one router (model, random or oracle) on one source; NaN where a figure is undefined (no quality gap, or a tier the model does not judge).</summary>
public sealed record RouterFigures(double Apgr, double Cpt50, double Cpt80, double FrontierCutAt95, double CostShareAt95, double? ThreeTierCostShareAt95);

/// <summary>The measures of one source: mid vs frontier, and three tiers when the source has them.</summary>
/// <param name="Rows">The rows with mid and frontier scores, which the two-tier figures use.</param>
/// <param name="MidNotJudged">How many of <paramref name="Rows"/> the model gives no p_mid (NaN).</param>
/// <param name="ThreeTierRows">The rows with all three tiers' scores, which the three-tier cost uses.</param>
/// <param name="SmallNotJudged">How many of those the model gives no p_small (NaN).</param>
/// <param name="SourceRows">All the source's rows, labelled for mid and frontier or not: the base of the three-tier coverage rule.</param>
public sealed record SourceEvaluation(
    string Source,
    int Rows,
    double MidQuality,
    double FrontierQuality,
    RouterFigures Model,
    RouterFigures Random,
    RouterFigures Oracle,
    int MidNotJudged = 0,
    int ThreeTierRows = 0,
    int SmallNotJudged = 0,
    int SourceRows = 0);
