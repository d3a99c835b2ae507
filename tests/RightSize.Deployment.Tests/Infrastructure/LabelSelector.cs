using System.Text.Json.Nodes;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>Whether a Kubernetes label selector (<c>matchLabels</c> and <c>matchExpressions</c>) selects a set of labels, as the API server decides it.</summary>
public static class LabelSelector
{
    /// <summary>A null selector selects nothing; an empty one (<c>{}</c>) selects everything.</summary>
    public static bool Selects(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (selector is null) return false;
        foreach (var (key, value) in selector["matchLabels"]?.AsObject() ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value!.ToString()) return false;
        }

        foreach (var expression in selector["matchExpressions"]?.AsArray() ?? [])
        {
            var key = (string)expression!["key"]!;
            var values = expression["values"]?.AsArray().Select(v => v!.ToString()).ToList() ?? [];
            var has = labels.TryGetValue(key, out var actual);
            var ok = (string)expression["operator"]! switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                var other => throw new Xunit.Sdk.XunitException($"unknown selector operator {other}"),
            };
            if (!ok) return false;
        }

        return true;
    }

    public static Dictionary<string, string> Labels(JsonNode? labels) =>
        (labels?.AsObject() ?? []).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal);
}
