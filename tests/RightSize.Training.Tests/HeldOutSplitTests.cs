using System.Globalization;
using RightSize.OpenAI.Chat;
using RightSize.Training.Data;
using RightSize.Training.Training;

namespace RightSize.Training.Tests;

public class HeldOutSplitTests
{
    /// <summary>Agent traffic: a question, the assistant's tool call, then the tool's JSON result, whose first line is <c>{</c>.</summary>
    private static List<RoutingRow> AgentRows(int count, Func<int, string> question)
    {
        var rows = new List<RoutingRow>();
        for (var i = 0; i < count; i++)
        {
            rows.Add(new RoutingRow
            {
                Id = "a" + i.ToString(CultureInfo.InvariantCulture),
                Source = "agent",
                Prompt = new ChatPrompt(
                [
                    new ChatTurn("system", "You are a helpful agent."),
                    new ChatTurn("user", question(i)),
                    new ChatTurn("assistant", "{\n\"call\": \"search\"\n}"),
                    new ChatTurn("tool", "{\n  \"result\": " + i.ToString(CultureInfo.InvariantCulture) + "\n}"),
                ]),
                TierScores = [double.NaN, 1, 1],
            });
        }

        return rows;
    }

    [Theory]
    [InlineData(20)]
    [InlineData(27)]
    [InlineData(42)]
    public void SplitFor_LastMessageIsAToolResult_HoldsOutAboutTheShareAskedFor(int seed)
    {
        var rows = AgentRows(2_000, i => string.Create(CultureInfo.InvariantCulture, $"Find the population of city {i}.\nUse the search tool."));

        var (train, heldOut) = SparseTrainer.SplitFor(rows, new TrainerOptions { Seed = seed });

        // 10% of 2,000 is 200 (binomial sd 13); grouping by the tool result's "{" held out all or none.
        Assert.InRange(heldOut.Length, 150, 250);
        Assert.Equal(2_000, train.Length + heldOut.Length);
    }

    [Fact]
    public void SplitFor_CopiesOfOneQuestionWithDifferentToolResults_StayTogether()
    {
        // Five copies of each question (different tool results after it): a copy never sits on the other side.
        var rows = AgentRows(1_000, i => string.Create(CultureInfo.InvariantCulture, $"Question {i / 5}?\nDetails {i}"));

        var (_, heldOut) = SparseTrainer.SplitFor(rows, new TrainerOptions { Seed = 3 });

        var held = heldOut.Select(i => i / 5).ToHashSet();
        Assert.NotEmpty(held);
        Assert.Equal(held.Count * 5, heldOut.Length);
    }

    [Fact]
    public void Train_OneFirstLineSharedByHalfTheRows_WarnsThatTheHeldOutShareIsSkewed()
    {
        // Half the rows open with the same boilerplate line; a seed that holds that group out holds out about half.
        var rows = new List<RoutingRow>();
        for (var i = 0; i < 200; i++)
        {
            var text = i % 2 == 0
                ? string.Create(CultureInfo.InvariantCulture, $"This question refers to the following information.\nprove the theorem {i} step by step")
                : string.Create(CultureInfo.InvariantCulture, $"say hello to friend number {i}");
            rows.Add(TestRows.Row("r" + i.ToString(CultureInfo.InvariantCulture), text, i % 2 == 0 ? 0 : 1, 1, 1));
        }

        var options = new TrainerOptions { HiddenSize = 0 };
        var skewed = Enumerable.Range(1, 200).First(seed => SparseTrainer.SplitFor(rows, options with { Seed = seed }).HeldOut.Length > 60);
        var fair = Enumerable.Range(1, 200).First(seed => SparseTrainer.SplitFor(rows, options with { Seed = seed }).HeldOut.Length is >= 7 and <= 13);

        var warned = SparseTrainer.Train(rows, options with { Seed = skewed });
        var quiet = SparseTrainer.Train(rows, options with { Seed = fair });

        var warning = Assert.Single(warned.Warnings());
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"held out {warned.HeldOutRows} of 200 rows ("), warning);
        Assert.Contains("far from the 10 % asked for", warning);
        Assert.Contains("the largest such group has 100 rows", warning);
        Assert.Empty(quiet.Warnings());
    }
}
