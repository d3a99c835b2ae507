using System.Globalization;
using RightSize.Server.Configuration;

namespace RightSize.Server.Model;

/// <summary>
/// A tier's prices from its global entry (<c>RightSize:Tiers:{tier}</c>) and a route's own entry
/// for it (<c>RightSize:Routes:{name}:Tiers:{tier}</c>), and what an operator should hear about
/// prices that were left out.
/// </summary>
internal static class TierPricing
{
    /// <summary>
    /// Each price the route's entry gives wins, and a price neither entry gives is 0. The cached
    /// price defaults to the input price of the entry that set the input price: a route that sets
    /// its own input price and no cached price does not keep the global tier's cached price, which
    /// was set for another model.
    /// </summary>
    public static TierPrices Resolve(TierOptions? global, TierOptions? local)
    {
        var input = local?.InputPerMTok ?? global?.InputPerMTok ?? 0m;
        var output = local?.OutputPerMTok ?? global?.OutputPerMTok ?? 0m;
        var cached = local?.CachedInputPerMTok
            ?? (local?.InputPerMTok is not null ? input : global?.CachedInputPerMTok ?? input);
        return new TierPrices(input, output, cached);
    }

    /// <summary>
    /// One note per tier entry whose requests would be priced wrong without the operator seeing
    /// it: a tier with no input or no output price anywhere is priced at 0 for it, so its requests
    /// read as free and their saving as the whole frontier cost; and a route's entry that names a
    /// model of its own but not both prices is priced, for the one it lacks, as the global tier's model.
    /// </summary>
    public static List<string> Notes(RightSizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        foreach (var (name, tier) in options.Tiers.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (Missing(tier) is { } missing) notes.Add(Unpriced($"RightSize:Tiers:{name}", missing));
        }

        foreach (var (routeName, route) in options.Routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var (name, local) in route.Tiers.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var key = $"RightSize:Routes:{routeName}:Tiers:{name}";
                options.Tiers.TryGetValue(name, out var global);
                if (global is null)
                {
                    if (Missing(local) is { } missing) notes.Add(Unpriced(key, missing));
                }
                else if (NamesOwnModel(local, global) && Missing(local) is { } missing)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{key} names the model '{local.Model}' but no {missing}, so its requests are priced for {(IsBoth(missing) ? "them" : "it")} as RightSize:Tiers:{name} ('{global.Model}'). Give {key}:{missing.Replace(" and ", " and :", StringComparison.Ordinal)}."));
                }
            }
        }

        return notes;
    }

    private static bool NamesOwnModel(TierOptions local, TierOptions global) =>
        !string.IsNullOrWhiteSpace(local.Model) && !string.Equals(local.Model, global.Model, StringComparison.Ordinal);

    // The price keys the entry does not give, or null when it gives both.
    private static string? Missing(TierOptions entry) =>
        (entry.InputPerMTok, entry.OutputPerMTok) switch
        {
            (null, null) => "InputPerMTok and OutputPerMTok",
            (null, _) => "InputPerMTok",
            (_, null) => "OutputPerMTok",
            _ => null,
        };

    private static bool IsBoth(string missing) => missing.Contains(" and ", StringComparison.Ordinal);

    private static string Unpriced(string key, string missing) =>
        $"{key} gives no {missing}, so its requests are priced at 0 for {(IsBoth(missing) ? "them" : "it")}: their cost reads as free and their saving as the whole frontier cost. Give the price (0 for a free model).";
}
