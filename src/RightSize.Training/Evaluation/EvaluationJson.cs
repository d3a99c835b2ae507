using System.Text.Json.Nodes;

namespace RightSize.Training.Evaluation;

/// <summary>Evaluation figures as a JSON object for the manifest's free-form <c>metrics</c>.</summary>
public static class EvaluationJson
{
    public static JsonObject ToJson(IReadOnlyList<SourceEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var result = new JsonObject();
        foreach (var e in evaluations)
        {
            result[e.Source] = new JsonObject
            {
                ["rows"] = e.Rows,
                ["midQuality"] = Round(e.MidQuality),
                ["frontierQuality"] = Round(e.FrontierQuality),
                ["model"] = Figures(e.Model),
                ["random"] = Figures(e.Random),
                ["oracle"] = Figures(e.Oracle),
            };
        }

        return result;
    }

    private static JsonObject Figures(RouterFigures f)
    {
        var o = new JsonObject
        {
            ["apgr"] = Round(f.Apgr),
            ["cpt50"] = Round(f.Cpt50),
            ["cpt80"] = Round(f.Cpt80),
            ["frontierCutAt95"] = Round(f.FrontierCutAt95),
            ["costShareAt95"] = Round(f.CostShareAt95),
        };
        if (f.ThreeTierCostShareAt95 is { } three) o["threeTierCostShareAt95"] = Round(three);
        return o;
    }

    /// <summary>Four decimals; null where the figure is undefined (an APGR when both tiers score the same), never a made-up 0.</summary>
    private static JsonValue? Round(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 4)) : null;
}
