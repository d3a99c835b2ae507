using Microsoft.Extensions.Configuration;

namespace RightSize.Server.Configuration;

/// <summary>
/// Reports a plain value where the <c>RightSize</c> section expects settings or a list. The
/// configuration binder ignores such a value without a word, so
/// <c>RightSize__Routes__support__ClaimModels=gpt-4o</c> (without <c>__0</c>) would leave the route
/// claiming nothing, and <c>"Routes": ["auto"]</c> would create a route named <c>0</c>. The
/// value itself is never repeated: it may be a key written in the wrong place.
/// </summary>
internal static class SectionShapeCheck
{
    public static void Check(IConfigurationSection rightSize, List<string> errors)
    {
        foreach (var part in (ReadOnlySpan<string>)[nameof(RightSizeOptions.Classifier), nameof(RightSizeOptions.Gateway), nameof(RightSizeOptions.Passthrough), nameof(RightSizeOptions.Upstreams), nameof(RightSizeOptions.Tiers), nameof(RightSizeOptions.Routes)])
        {
            Settings(rightSize.GetSection(part), errors);
        }

        foreach (var upstream in rightSize.GetSection(nameof(RightSizeOptions.Upstreams)).GetChildren())
        {
            Settings(upstream, errors);
            Settings(upstream.GetSection(nameof(UpstreamOptions.CircuitBreaker)), errors);
        }

        foreach (var tier in rightSize.GetSection(nameof(RightSizeOptions.Tiers)).GetChildren()) Settings(tier, errors);
        foreach (var route in rightSize.GetSection(nameof(RightSizeOptions.Routes)).GetChildren())
        {
            Settings(route, errors);
            List(route.GetSection(nameof(RouteOptions.ClaimModels)), errors);
            Settings(route.GetSection(nameof(RouteOptions.Rules)), errors);
            Settings(route.GetSection(nameof(RouteOptions.Embeddings)), errors);
            Settings(route.GetSection(nameof(RouteOptions.Tiers)), errors);
            foreach (var tier in route.GetSection(nameof(RouteOptions.Tiers)).GetChildren()) Settings(tier, errors);
        }
    }

    // An empty value is what "name": {} in JSON, or NAME= in the environment, leaves: a section with every default.
    private static void Settings(IConfigurationSection section, List<string> errors)
    {
        if (string.IsNullOrEmpty(section.Value)) return;
        errors.Add($"{section.Path} holds settings, not a value of its own; the value given is ignored. Set its keys under it ({section.Path}:...), or write {{}} in JSON for every default.");
    }

    private static void List(IConfigurationSection section, List<string> errors)
    {
        if (string.IsNullOrEmpty(section.Value)) return;
        var variable = section.Path.Replace(":", "__", StringComparison.Ordinal);
        errors.Add($"{section.Path} is a list, but it was given a single value, which is ignored. Number its items ({section.Path}:0, {section.Path}:1, ...; {variable}__0 in the environment) or write a JSON array.");
    }
}
