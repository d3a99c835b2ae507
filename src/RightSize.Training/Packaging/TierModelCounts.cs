using System.Text.Json.Nodes;
using RightSize.Classification;
using RightSize.Training.Data;

namespace RightSize.Training.Packaging;

/// <summary>
/// Which models stood behind each tier in the training data, for the manifest's
/// <c>metrics.tierModels</c>: a tier's probability is the chance that the models its rows scored,
/// not the models a route names, answer as well as the frontier's.
/// </summary>
public static class TierModelCounts
{
    /// <summary>
    /// Per tier with any score, each model that tier's scores came from and on how many rows, most
    /// rows first (then by name, so the bytes are the same for the same data).
    /// </summary>
    public static JsonObject ToJson(IEnumerable<RoutingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var counts = new Dictionary<string, int>[3];
        foreach (var row in rows)
        {
            for (var tier = 0; tier < counts.Length; tier++)
            {
                if (row.TierModels[tier] is not { } model) continue;
                counts[tier] ??= new Dictionary<string, int>(StringComparer.Ordinal);
                counts[tier][model] = counts[tier].GetValueOrDefault(model) + 1;
            }
        }

        var json = new JsonObject();
        for (var tier = 0; tier < counts.Length; tier++)
        {
            if (counts[tier] is not { } models) continue;
            var ordered = models.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal);
            json[((Tier)tier).ToName()] = new JsonObject(ordered.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        }

        return json;
    }
}
