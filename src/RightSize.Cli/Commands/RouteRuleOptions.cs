using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using RightSize.Classification;
using RightSize.Classification.Rules;
using RightSize.OpenAI.Chat;

namespace RightSize.Cli.Commands;

/// <summary>
/// <c>calibrate</c>'s options for the route's request-shape rules (<c>Rules:*</c>), with the
/// gateway's defaults, so that calibrate raises the rows the gateway raises
/// (<see cref="RequestRules"/>, the gateway's own rule logic).
/// </summary>
internal sealed class RouteRuleOptions
{
    /// <summary>The value that turns a tier rule off, as an empty <c>Rules:ToolsMinTier</c> does.</summary>
    public const string None = "none";

    private readonly Option<string> _tools = new("--tools-min-tier")
    {
        Description = $"The route's Rules:ToolsMinTier: a request with tools goes to at least this tier; {None} turns the rule off (default {RequestRules.DefaultToolsMinTier}, as a route's).",
        DefaultValueFactory = _ => RequestRules.DefaultToolsMinTier,
    };

    private readonly Option<string> _media = new("--media-min-tier")
    {
        Description = $"The route's Rules:MediaMinTier: a request with image, audio or file parts goes to at least this tier; {None} turns the rule off (default {RequestRules.DefaultMediaMinTier}, as a route's).",
        DefaultValueFactory = _ => RequestRules.DefaultMediaMinTier,
    };

    private readonly Option<int?> _longPrompt = new("--long-prompt-tokens")
    {
        Description = "The route's Rules:LongPromptTokens: a request with more estimated prompt tokens goes to the frontier (default off, as a route's).",
    };

    public IEnumerable<Option> All => [_tools, _media, _longPrompt];

    /// <summary>Adds the usage errors of the rule options to <paramref name="result"/>.</summary>
    public void Check(CommandResult result)
    {
        foreach (var option in (ReadOnlySpan<Option<string>>)[_tools, _media])
        {
            if (result.GetValue(option) is { } value && !TryParseTier(value, out _))
            {
                result.AddError($"{option.Name} must be small, mid, frontier or {None} (the rule off), not '{value}'.");
            }
        }

        if (result.GetValue(_longPrompt) is <= 0) result.AddError("--long-prompt-tokens must be positive; leave it out for a route without the rule.");
    }

    /// <summary>The rules the options give; call after <see cref="Check"/> passed.</summary>
    public RequestRules Read(ParseResult parse) =>
        new(ParseTier(parse.GetValue(_tools)!), ParseTier(parse.GetValue(_media)!), parse.GetValue(_longPrompt));

    /// <summary>
    /// Says on stderr how many requests each rule raises, whatever the threshold; silent for a
    /// rule that raises none (off, at small, or no such request in the sample).
    /// </summary>
    public static void Note(CliContext context, RequestRules rules, IReadOnlyList<ChatPrompt> prompts)
    {
        var n = prompts.Count;
        if (rules.ToolsMinTier is Tier tools and > Tier.Small)
        {
            Line(context, prompts.Count(p => p.UsesTools), n, "have tools or tool results", $"Rules:ToolsMinTier {tools.ToName()}", $"sends none of them below {tools.ToName()}");
        }

        if (rules.MediaMinTier is Tier media and > Tier.Small)
        {
            Line(context, prompts.Count(p => p.Media.Count > 0), n, "have image, audio or file parts", $"Rules:MediaMinTier {media.ToName()}", $"sends none of them below {media.ToName()}");
        }

        if (rules.LongPromptTokens is { } limit)
        {
            Line(context, prompts.Count(p => rules.IsLongPrompt(RequestRules.EstimateTokens(p))), n, string.Create(CultureInfo.InvariantCulture, $"have more than {limit} estimated prompt tokens"), string.Create(CultureInfo.InvariantCulture, $"Rules:LongPromptTokens {limit}"), "sends them all to frontier");
        }
    }

    private static void Line(CliContext context, int count, int n, string what, string rule, string effect)
    {
        if (count == 0) return;
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: {count} of {n} requests ({(double)count / n:P1}) {what}; like the gateway ({rule}), calibrate {effect}, whatever the threshold."));
    }

    private static Tier? ParseTier(string value) =>
        TryParseTier(value, out var tier) ? tier : throw new InvalidOperationException($"'{value}' is not a tier; Check refuses it before the command runs.");

    /// <summary>A tier name in any case, as configuration takes it, or <see cref="None"/> for the rule off (null).</summary>
    private static bool TryParseTier(string value, out Tier? tier)
    {
        tier = null;
        if (value.Equals(None, StringComparison.OrdinalIgnoreCase)) return true;
        if (!TierNames.TryParse(value, out var parsed)) return false;
        tier = parsed;
        return true;
    }
}
