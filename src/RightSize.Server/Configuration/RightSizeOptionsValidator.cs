using System.Buffers;
using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.OpenAI.Requests;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;

namespace RightSize.Server.Configuration;

/// <summary>
/// Checks the whole <c>RightSize</c> section at once and reports every problem, each naming its
/// key and the fix. References are checked across sections: every tier names a known upstream,
/// every route a known tier.
/// </summary>
internal sealed class RightSizeOptionsValidator(Func<string, string?> environment) : IValidateOptions<RightSizeOptions>
{
    private const string Root = RightSizeOptions.SectionName;
    private static readonly SearchValues<char> VariableNameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    public RightSizeOptionsValidator()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    public ValidateOptionsResult Validate(string? name, RightSizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateGateway(options.Gateway, errors);
        foreach (var (upstreamName, upstream) in options.Upstreams)
        {
            ValidateUpstream($"{Root}:Upstreams:{upstreamName}", upstream, errors);
        }

        foreach (var (tierName, tier) in options.Tiers)
        {
            ValidateTier($"{Root}:Tiers:{tierName}", tierName, tier, options, errors, requireAll: true);
        }

        if (options.Routes.Count == 0)
        {
            errors.Add($"{Root}:Routes: no route is configured. Add at least one, for example {Root}:Routes:auto.");
        }

        var prefixes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var routeName in options.Routes.Keys) prefixes[GatewaySnapshotBuilder.DefaultPathPrefixRoot + routeName] = routeName;
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (routeName, route) in options.Routes)
        {
            new RouteValidator(options, routeName, route, errors).Validate(prefixes, claims);
        }

        if (options.Passthrough.Upstream is { Length: > 0 } fallback && !options.Upstreams.ContainsKey(fallback))
        {
            errors.Add($"{Root}:Passthrough:Upstream names '{fallback}', which is not under {Root}:Upstreams. Add it there or fix the name.");
        }

        if (!ResilienceDefaults.IsTimeout(options.Passthrough.Deadline))
        {
            errors.Add($"{Root}:Passthrough:Deadline must be {ResilienceDefaults.TimeoutRange} (default {ResilienceDefaults.Deadline}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void ValidateTier(string key, string tierName, TierOptions tier, RightSizeOptions options, List<string> errors, bool requireAll)
    {
        if (!TierNames.TryParse(tierName, out _))
        {
            errors.Add($"{key}: '{tierName}' is not a tier. Use small, mid or frontier.");
        }

        if (requireAll && string.IsNullOrWhiteSpace(tier.Upstream))
        {
            errors.Add($"{key}:Upstream is required: name an entry of {Root}:Upstreams.");
        }
        else if (!string.IsNullOrWhiteSpace(tier.Upstream) && !options.Upstreams.ContainsKey(tier.Upstream))
        {
            errors.Add($"{key}:Upstream names '{tier.Upstream}', which is not under {Root}:Upstreams. Add {Root}:Upstreams:{tier.Upstream} or fix the name.");
        }

        if (requireAll && string.IsNullOrWhiteSpace(tier.Model))
        {
            errors.Add($"{key}:Model is required: the concrete model name the upstream serves.");
        }
        else if (!string.IsNullOrWhiteSpace(tier.Model) && !ModelName.IsValid(tier.Model))
        {
            errors.Add($"{key}:Model is not a model name: 1 to {ModelName.MaxLength} visible ASCII characters, no spaces.");
        }

        CheckPrice(tier.InputPerMTok, $"{key}:InputPerMTok", errors);
        CheckPrice(tier.OutputPerMTok, $"{key}:OutputPerMTok", errors);
        CheckPrice(tier.CachedInputPerMTok, $"{key}:CachedInputPerMTok", errors);
    }

    /// <summary>
    /// The most a price per million tokens may be: far above any model's, and low enough that a
    /// request's cost, and the stats' sums of them, stay well inside <see cref="decimal"/> (with a price near its
    /// maximum, every request's telemetry would overflow).
    /// </summary>
    private const decimal MaxPricePerMTok = 1_000_000m;

    private static void CheckPrice(decimal? price, string key, List<string> errors)
    {
        if (price < 0) errors.Add($"{key} must not be negative.");
        else if (price > MaxPricePerMTok) errors.Add(FormattableString.Invariant($"{key} must be at most {MaxPricePerMTok:N0} (a price per million tokens)."));
    }

    // Polly's own range for circuit-breaker durations: 0.5 s to a day.
    private static bool IsBreakerDuration(TimeSpan duration) =>
        duration >= TimeSpan.FromMilliseconds(500) && duration <= ResilienceDefaults.LongestDuration;

    /// <summary>A URL as the operator wrote it up to its query or fragment, which may hold a key (<c>?key=</c>, <c>?sig=</c>, ...).</summary>
    private static string Shown(string url) => url.IndexOfAny(['?', '#']) is var end and >= 0
        ? url[..end] + (url[end] == '?' ? " (query not shown)" : " (fragment not shown)")
        : url;

    /// <summary>
    /// Whether a key file is there to be read. <see cref="File.Exists"/> alone is true for a symlink
    /// whose target is gone, as a Secret's <c>openai</c> → <c>..data/openai</c> is once <c>..data</c>
    /// points at a directory without it; reading it would then fail with an exception, not an error.
    /// </summary>
    internal static bool KeyFileExists(string path)
    {
        try
        {
            return File.Exists(path) && (File.ResolveLinkTarget(path, returnFinalTarget: true) is not { } target || target.Exists);
        }
        catch (IOException)
        {
            return false; // a loop of symlinks
        }
    }

    private static bool IsVariableName(string name) =>
        (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.AsSpan(1).IndexOfAnyExcept(VariableNameChars) < 0;

    /// <summary>
    /// Whether a variable name that is not set can be repeated in an error: only a name that reads
    /// as one, in upper case with no long run of digits (<c>OPENAI_API_KEY</c>), and with a '_' when
    /// longer than 12 characters. Many keys are variable names by their characters (Hugging Face's
    /// <c>hf_...</c>, Groq's <c>gsk_...</c>, hex keys): such a key pasted here must not be written into
    /// the error, and so into the logs.
    /// </summary>
    private static bool IsShowableVariableName(string name) =>
        IsVariableName(name) && !name.Any(char.IsAsciiLetterLower) && !HasDigitRun(name, 5)
        && (name.Length <= 12 || name.Contains('_', StringComparison.Ordinal)) && name.Length <= 64;

    private static bool HasDigitRun(string text, int length)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            if (run >= length) return true;
        }

        return false;
    }

    private static void ValidateGateway(GatewayOptions gateway, List<string> errors)
    {
        if (gateway.MaxRequestBodyBytes <= 0)
        {
            errors.Add($"{Root}:Gateway:MaxRequestBodyBytes must be positive (default {GatewayDefaults.MaxRequestBodyBytes}).");
        }

        if (!ResilienceDefaults.IsTimeout(gateway.RequestBodyTimeout))
        {
            errors.Add($"{Root}:Gateway:RequestBodyTimeout must be {ResilienceDefaults.TimeoutRange}, for example 00:01:00.");
        }

        if (!ResilienceDefaults.IsTimeout(gateway.UpstreamActivityTimeout))
        {
            errors.Add($"{Root}:Gateway:UpstreamActivityTimeout must be {ResilienceDefaults.TimeoutRange}, for example 00:05:00.");
        }

        if (gateway.MaxBufferedRequestBytes < gateway.MaxRequestBodyBytes)
        {
            errors.Add($"{Root}:Gateway:MaxBufferedRequestBytes ({gateway.MaxBufferedRequestBytes}) must be at least MaxRequestBodyBytes ({gateway.MaxRequestBodyBytes}), or a body of that size could never be routed (default {GatewayDefaults.MaxBufferedRequestBytes}).");
        }

        if (gateway.MaxHeldResponseBytes < 0)
        {
            errors.Add($"{Root}:Gateway:MaxHeldResponseBytes must not be negative (default {GatewayDefaults.MaxHeldResponseBytes}; 0 holds no answer back).");
        }

        if (!ResilienceDefaults.IsTimeout(gateway.ConnectTimeout))
        {
            errors.Add($"{Root}:Gateway:ConnectTimeout must be {ResilienceDefaults.TimeoutRange}, for example 00:00:10.");
        }
    }

    private void ValidateUpstream(string key, UpstreamOptions upstream, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(upstream.BaseUrl))
        {
            errors.Add($"{key}:BaseUrl is required, for example https://api.openai.com/v1.");
        }
        else if (Uri.TryCreate(upstream.BaseUrl, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            // Not repeated: it holds a password. HttpClient would not send it either.
            errors.Add($"{key}:BaseUrl must not carry credentials (user:password@). Put the key in ApiKeyEnv or ApiKeyFile.");
        }
        else if (!upstream.BaseUrl.Contains("://", StringComparison.Ordinal))
        {
            // Not repeated: a value with no scheme at all may be a key pasted into the wrong setting.
            errors.Add($"{key}:BaseUrl is not an absolute http or https URL (it has no 'http://' or 'https://'), so it is not shown: it may be a key. Give the provider's URL, for example https://api.openai.com/v1.");
        }
        else if (uri is null || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{key}:BaseUrl '{Shown(upstream.BaseUrl)}' is not an absolute http or https URL.");
        }
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add($"{key}:BaseUrl must not have a query or a fragment ('{Shown(upstream.BaseUrl)}'): the gateway appends the API path, such as /chat/completions, to it.");
        }
        else if (uri.Port == 0)
        {
            // Nothing can be reached on port 0: accepted, every call would fail as connect-refused.
            errors.Add($"{key}:BaseUrl '{Shown(upstream.BaseUrl)}' names port 0, which nothing listens on.");
        }

        if (!string.IsNullOrWhiteSpace(upstream.ApiKeyEnv) && string.IsNullOrWhiteSpace(environment(upstream.ApiKeyEnv)))
        {
            // A value that is not a variable name may be the key itself: it is not repeated.
            errors.Add(IsShowableVariableName(upstream.ApiKeyEnv)
                ? $"{key}:ApiKeyEnv names the environment variable {upstream.ApiKeyEnv}, which is not set or holds only white space. Set it, or remove ApiKeyEnv for an upstream without a key."
                : IsVariableName(upstream.ApiKeyEnv)
                    ? $"{key}:ApiKeyEnv names an environment variable that is not set or holds only white space. The name ({upstream.ApiKeyEnv.Length} characters, starting '{upstream.ApiKeyEnv[..Math.Min(3, upstream.ApiKeyEnv.Length)]}') is not shown, since only upper-case names such as OPENAI_API_KEY are: it may be the key itself. Put the key in an environment variable and name that variable here."
                    : $"{key}:ApiKeyEnv is not an environment variable name (letters, digits and '_'), so it is not shown: it may be the key itself. Put the key in an environment variable and name that variable here.");
        }

        if (!string.IsNullOrWhiteSpace(upstream.ApiKeyFile) && !KeyFileExists(upstream.ApiKeyFile))
        {
            // A value that is not plainly a path may be the key itself (base64 keys can hold '/'): it is not repeated.
            errors.Add(Path.IsPathRooted(upstream.ApiKeyFile) || upstream.ApiKeyFile.StartsWith("./", StringComparison.Ordinal)
                ? $"{key}:ApiKeyFile names '{upstream.ApiKeyFile}', which does not exist."
                : $"{key}:ApiKeyFile names a file that does not exist; it is not shown, since a value that does not start with '/' or './' may be the key itself. Give the key file's path, such as /var/run/secrets/rightsize/openai.");
        }

        if (!ResilienceDefaults.IsTimeout(upstream.HeadersTimeout))
        {
            errors.Add($"{key}:HeadersTimeout must be {ResilienceDefaults.TimeoutRange}, for example 00:05:00.");
        }

        var breaker = upstream.CircuitBreaker;
        if (breaker.FailureRatio is <= 0 or > 1 || double.IsNaN(breaker.FailureRatio))
        {
            errors.Add($"{key}:CircuitBreaker:FailureRatio must be above 0 and at most 1 (default {ResilienceDefaults.FailureRatio}).");
        }

        if (breaker.MinimumThroughput < 2)
        {
            errors.Add($"{key}:CircuitBreaker:MinimumThroughput must be at least 2 (default {ResilienceDefaults.MinimumThroughput}).");
        }

        if (!IsBreakerDuration(breaker.SamplingDuration) || !IsBreakerDuration(breaker.BreakDuration))
        {
            errors.Add($"{key}:CircuitBreaker: SamplingDuration and BreakDuration must be between 00:00:00.5 and {ResilienceDefaults.LongestDuration}.");
        }
    }
}
