using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using RightSize.Classification;
using RightSize.Classification.Rules;
using RightSize.OpenAI.Requests;

namespace RightSize.Cli.Commands;

/// <summary>The configuration <c>calibrate</c> prints for a route: an appsettings fragment and the same settings as environment variables.</summary>
internal static class RouteSnippet
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Why the gateway would not take <paramref name="route"/> as a route name, or null when it
    /// would: its rule (<see cref="ModelName.IsRouteName"/>), and no ':', which configuration
    /// reads as a section separator, so neither appsettings nor a variable could name the route.
    /// </summary>
    public static string? Problem(string route)
    {
        if (!ModelName.IsRouteName(route))
        {
            return $"--route: {ModelName.RouteNameRule} (the gateway refuses others).";
        }

        return route.Contains(':', StringComparison.Ordinal)
            ? "--route: a route name cannot hold ':', which configuration reads as a section separator."
            : null;
    }

    /// <summary>
    /// Writes the appsettings fragment (JSON, escaped by a JSON writer) and the environment
    /// variables: the threshold, and <c>MinConfidence</c> and each rule of <paramref name="rules"/>
    /// that is not the gateway's default (a rule turned off as an empty value, as configuration
    /// turns it off), so that the route configured with them routes as calibrate did.
    /// </summary>
    public static void Write(TextWriter output, string route, double threshold, double minConfidence, RequestRules rules)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rules);
        var c = CultureInfo.InvariantCulture;
        var settings = new JsonObject { ["Threshold"] = Math.Round(threshold, 4) };
        if (minConfidence > 0) settings["MinConfidence"] = Math.Round(minConfidence, 4);
        var changed = ChangedRules(rules);
        if (changed.Count > 0)
        {
            var section = new JsonObject();
            foreach (var (key, value) in changed) section[key] = value is int tokens ? tokens : (string)value;
            settings["Rules"] = section;
        }

        var appsettings = new JsonObject { ["RightSize"] = new JsonObject { ["Routes"] = new JsonObject { [route] = settings } } };
        output.WriteLine("appsettings: " + appsettings.ToJsonString(Json));
        if (route.Contains('=', StringComparison.Ordinal))
        {
            output.WriteLine("environment: none (an environment variable's name cannot hold '=')");
            return;
        }

        var confidence = minConfidence > 0 ? string.Create(c, $" RightSize__Routes__{route}__MinConfidence={minConfidence:0.####}") : string.Empty;
        var variables = string.Concat(changed.Select(rule => string.Create(c, $" RightSize__Routes__{route}__Rules__{rule.Key}={(rule.Value is "" ? "\"\"" : rule.Value)}")));
        output.WriteLine(string.Create(c, $"environment: RightSize__Routes__{route}__Threshold={threshold:0.####}{confidence}{variables}"));
    }

    /// <summary>The rules that differ from the gateway's defaults, by their key under <c>Rules</c>: a tier name, "" for off, or a token count.</summary>
    private static List<(string Key, object Value)> ChangedRules(RequestRules rules)
    {
        var changed = new List<(string Key, object Value)>();
        if (rules.ToolsMinTier != RequestRules.Default.ToolsMinTier) changed.Add(("ToolsMinTier", rules.ToolsMinTier?.ToName() ?? string.Empty));
        if (rules.MediaMinTier != RequestRules.Default.MediaMinTier) changed.Add(("MediaMinTier", rules.MediaMinTier?.ToName() ?? string.Empty));
        if (rules.LongPromptTokens is { } limit) changed.Add(("LongPromptTokens", limit));
        return changed;
    }
}
