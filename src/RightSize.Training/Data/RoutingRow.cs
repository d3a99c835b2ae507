using RightSize.Classification;
using RightSize.OpenAI.Chat;

namespace RightSize.Training.Data;

/// <summary>
/// One labelled prompt of the routing data (see <c>../shared/data/routing/README.md</c>): the
/// prompt, and for each tier present the score its model got. A tier without a score is unknown.
/// </summary>
public sealed class RoutingRow
{
    /// <summary>The row's <c>id</c>, or its line number when it has none (<see cref="HasOwnId"/> false).</summary>
    public required string Id { get; init; }

    /// <summary>Whether <see cref="Id"/> came from the row; rows of different files without one share line numbers.</summary>
    public bool HasOwnId { get; init; } = true;

    public required string Source { get; init; }

    public required ChatPrompt Prompt { get; init; }

    /// <summary>Scores per tier, indexed by <see cref="Tier"/>; NaN where the row has no such tier.</summary>
    public required double[] TierScores { get; init; }

    /// <summary>
    /// The model behind each scored tier, indexed by <see cref="Tier"/> (<c>tiers</c> in the row);
    /// null where the row has no score for the tier.
    /// </summary>
    public IReadOnlyList<string?> TierModels { get; init; } = NoModels;

    /// <summary>
    /// Share of all the row's models (beyond the tier models) whose score reaches the frontier's;
    /// NaN when the row carries fewer than <see cref="RoutingDataReader.ConsensusMinModels"/> models.
    /// A low-noise view of how hard the prompt is, used to soften training labels.
    /// </summary>
    public double Consensus { get; init; } = double.NaN;

    /// <summary>Where the row came from, for messages.</summary>
    public string? File { get; init; }

    public int Line { get; init; }

    private static readonly IReadOnlyList<string?> NoModels = Array.AsReadOnly(new string?[3]);

    public bool Has(Tier tier) => !double.IsNaN(TierScores[(int)tier]);

    public double Score(Tier tier) => TierScores[(int)tier];

    /// <summary>Whether a cheaper tier is good enough here (scores at least the frontier's); null when unknown.</summary>
    public bool? GoodEnough(Tier tier)
    {
        if (tier == Tier.Frontier) return Has(Tier.Frontier) ? true : null;
        if (!Has(tier) || !Has(Tier.Frontier)) return null;
        return Score(tier) >= Score(Tier.Frontier);
    }
}
