using RightSize.OpenAI.Chat;
using RightSize.Training.Data;

namespace RightSize.Training.Tests;

internal static class TestRows
{
    public static RoutingRow Row(string id, string text, double? small, double mid, double frontier, string source = "test") => new()
    {
        Id = id,
        Source = source,
        Prompt = ChatPrompt.FromUserText(text),
        TierScores = [small ?? double.NaN, mid, frontier],
    };

    /// <summary>Rows where "easy" prompts are good enough on every tier and "hard" ones are not.</summary>
    public static List<RoutingRow> Synthetic(int count, bool withSmall = true)
    {
        var rows = new List<RoutingRow>();
        for (var i = 0; i < count; i++)
        {
            var hard = i % 2 == 0;
            var text = hard ? $"prove the theorem about integral number {i} step by step" : $"say hello to friend number {i}";
            rows.Add(Row($"r{i}", text, withSmall ? (hard ? 0 : 1) : null, hard && i % 4 == 0 ? 0 : 1, 1));
        }

        return rows;
    }
}
