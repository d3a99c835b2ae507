using RightSize.Classification;
using RightSize.OpenAI.Requests;

namespace RightSize.Server.Configuration;

/// <summary>The checks of one route, part of <see cref="RightSizeOptionsValidator"/>.</summary>
internal sealed class RouteValidator(RightSizeOptions options, string name, RouteOptions route, List<string> errors)
{
    private readonly string _key = $"{RightSizeOptions.SectionName}:Routes:{name}";

    public void Validate(Dictionary<string, string> prefixes, Dictionary<string, string> claims)
    {
        if (!ModelName.IsRouteName(name))
        {
            errors.Add($"{_key}: {ModelName.RouteNameRule}.");
        }
        else if (string.Equals(name, Stats.StatsStore.PassthroughRoute, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{_key}: the name {Stats.StatsStore.PassthroughRoute} is the stats' row for pass-through requests; give the route another name.");
        }

        var tier = ParseTier("Tier", route.Tier, optional: true);
        ParseTier("DefaultTier", route.DefaultTier, optional: false);
        var min = ParseTier("MinTier", route.MinTier, optional: true) ?? Tier.Small;
        var max = ParseTier("MaxTier", route.MaxTier, optional: true) ?? Tier.Frontier;
        ParseTier("Rules:ToolsMinTier", route.Rules.ToolsMinTier, optional: true);
        ParseTier("Rules:MediaMinTier", route.Rules.MediaMinTier, optional: true);
        if (min > max)
        {
            errors.Add($"{_key}: MinTier ({route.MinTier}) is above MaxTier ({route.MaxTier}).");
        }

        if (tier is { } fixedTier && (fixedTier < min || fixedTier > max))
        {
            errors.Add($"{_key}:Tier ({route.Tier}) is outside MinTier..MaxTier.");
        }

        if (route.Threshold is < 0 or > 1 || double.IsNaN(route.Threshold))
        {
            errors.Add($"{_key}:Threshold must be between 0 and 1 (default {GatewayDefaults.Threshold}).");
        }

        if (route.MinConfidence is < 0 or > 1 || double.IsNaN(route.MinConfidence))
        {
            errors.Add($"{_key}:MinConfidence must be between 0 and 1.");
        }

        if (route.Rules.LongPromptTokens is <= 0)
        {
            errors.Add($"{_key}:Rules:LongPromptTokens must be positive, or left out to turn the rule off.");
        }

        if (!ResilienceDefaults.IsTimeout(route.Deadline))
        {
            errors.Add($"{_key}:Deadline must be {ResilienceDefaults.TimeoutRange} (default {ResilienceDefaults.Deadline}).");
        }

        if (route.RetryAfterLimit < TimeSpan.Zero || route.RetryAfterLimit > ResilienceDefaults.LongestDuration)
        {
            errors.Add($"{_key}:RetryAfterLimit must be between 00:00:00 (retry off) and {ResilienceDefaults.LongestDuration}.");
        }

        ValidateTiers(max);
        ValidatePrefix(prefixes);
        ValidateClaims(claims);
        if (route.Embeddings.Upstream is { Length: > 0 } embeddings && !options.Upstreams.ContainsKey(embeddings))
        {
            errors.Add($"{_key}:Embeddings:Upstream names '{embeddings}', which is not under {RightSizeOptions.SectionName}:Upstreams.");
        }

        if (route.Embeddings.Model is { Length: > 0 } embeddingsModel && !ModelName.IsValid(embeddingsModel))
        {
            errors.Add($"{_key}:Embeddings:Model is not a model name: 1 to {ModelName.MaxLength} visible ASCII characters, no spaces.");
        }
    }

    private void ValidateTiers(Tier max)
    {
        foreach (var (tierName, tier) in route.Tiers)
        {
            var hasGlobal = options.Tiers.ContainsKey(tierName);
            RightSizeOptionsValidator.ValidateTier($"{_key}:Tiers:{tierName}", tierName, tier, options, errors, requireAll: !hasGlobal);
        }

        var maxName = max.ToName();
        if (!options.Tiers.ContainsKey(maxName) && !route.Tiers.ContainsKey(maxName))
        {
            errors.Add($"{_key}: its highest tier, {maxName}, is not configured. Add {RightSizeOptions.SectionName}:Tiers:{maxName} or {_key}:Tiers:{maxName}.");
        }
    }

    private void ValidatePrefix(Dictionary<string, string> prefixes)
    {
        var prefix = route.PathPrefix;
        if (string.IsNullOrEmpty(prefix)) return;
        if (prefix[0] != '/' || prefix.EndsWith('/') || IsAtOrInside(prefix, "/v1") || IsAtOrInside(prefix, "/rightsize") || HasDotOrEmptySegment(prefix))
        {
            errors.Add($"{_key}:PathPrefix '{prefix}' must start with '/', must not end with '/', must not be /v1, /rightsize or a path under them, and must have no empty, '.' or '..' segment.");
        }
        else if (prefixes.TryGetValue(prefix, out var owner) && !string.Equals(owner, name, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{_key}:PathPrefix '{prefix}' is also used by route '{owner}'.");
        }
        else if (NestedWith(prefix, prefixes) is { } other)
        {
            // The longest prefix that matches a path wins, so one inside another takes that one's
            // paths below it: /support/v1 would make /support/v1/chat/completions a 404.
            errors.Add($"{_key}:PathPrefix '{prefix}' and route '{other.Value}''s path prefix '{other.Key}' lie one inside the other; give each route a path of its own.");
        }
        else
        {
            prefixes.TryAdd(prefix, name);
        }
    }

    private KeyValuePair<string, string>? NestedWith(string prefix, Dictionary<string, string> prefixes)
    {
        foreach (var other in prefixes)
        {
            if (string.Equals(other.Value, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (IsInside(prefix, other.Key) || IsInside(other.Key, prefix)) return other;
        }

        return null;
    }

    private static bool IsInside(string inner, string outer) =>
        inner.Length > outer.Length && inner[outer.Length] == '/' && inner.StartsWith(outer, StringComparison.OrdinalIgnoreCase);

    // By whole segments: /v1beta or /rightsizer is a path of its own.
    private static bool IsAtOrInside(string path, string root) =>
        string.Equals(path, root, StringComparison.OrdinalIgnoreCase) || IsInside(path, root);

    // Kestrel removes '.' and '..' segments before routing, so a prefix with one is never matched.
    private static bool HasDotOrEmptySegment(string prefix)
    {
        foreach (var segment in prefix[1..].Split('/'))
        {
            if (segment is "" or "." or "..") return true;
        }

        return false;
    }

    private void ValidateClaims(Dictionary<string, string> claims)
    {
        for (var i = 0; i < route.ClaimModels.Count; i++)
        {
            var model = route.ClaimModels[i];
            if (string.IsNullOrWhiteSpace(model))
            {
                errors.Add($"{_key}:ClaimModels:{i} is empty.");
            }
            else if (!ModelName.IsValid(model))
            {
                errors.Add($"{_key}:ClaimModels:{i} is not a model name: 1 to {ModelName.MaxLength} visible ASCII characters, no spaces.");
            }
            else if (options.Routes.ContainsKey(model))
            {
                errors.Add($"{_key}:ClaimModels:{i} claims '{model}', which is already a route name.");
            }
            else if (!claims.TryAdd(model, name))
            {
                errors.Add($"{_key}:ClaimModels:{i} claims '{model}', which route '{claims[model]}' claims too.");
            }
        }
    }

    private Tier? ParseTier(string field, string? value, bool optional)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (!optional) errors.Add($"{_key}:{field} is required: small, mid or frontier.");
            return null;
        }

        if (TierNames.TryParse(value, out var tier)) return tier;
        errors.Add($"{_key}:{field} is '{value}', which is not a tier. Use small, mid or frontier.");
        return null;
    }
}
