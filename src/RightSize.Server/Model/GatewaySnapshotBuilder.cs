using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Classification.Rules;
using RightSize.Server.Configuration;

namespace RightSize.Server.Model;

/// <summary>Compiles validated options into a <see cref="GatewaySnapshot"/>, resolving upstream keys.</summary>
internal sealed partial class GatewaySnapshotBuilder(Func<string, string?> environment, Func<string, string> readFile)
{
    public const string DefaultPathPrefixRoot = "/routes/";

    public GatewaySnapshotBuilder()
        : this(Environment.GetEnvironmentVariable, File.ReadAllText)
    {
    }

    public GatewaySnapshot Build(RightSizeOptions options, int generation)
    {
        ArgumentNullException.ThrowIfNull(options);
        var upstreams = new Dictionary<string, UpstreamEndpoint>(StringComparer.OrdinalIgnoreCase);
        var keyFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var keyErrors = new List<string>();
        foreach (var (name, upstream) in options.Upstreams)
        {
            var breaker = upstream.CircuitBreaker;
            var resilience = new UpstreamResilience(upstream.HeadersTimeout, breaker.Enabled, breaker.FailureRatio, breaker.MinimumThroughput, breaker.SamplingDuration, breaker.BreakDuration);
            upstreams[name] = new UpstreamEndpoint(name, upstream.BaseUrl!.TrimEnd('/'), ResolveAuthorization(name, upstream, keyFiles, keyErrors), resilience);
        }

        if (keyErrors.Count > 0) throw new OptionsValidationException(RightSizeOptions.SectionName, typeof(RightSizeOptions), keyErrors);

        var routes = new Dictionary<string, RouteModel>(StringComparer.OrdinalIgnoreCase);
        var claims = new Dictionary<string, RouteModel>(StringComparer.Ordinal);
        var prefixes = new List<KeyValuePair<string, RouteModel>>();
        foreach (var (name, routeOptions) in options.Routes)
        {
            var route = BuildRoute(name, routeOptions, options, upstreams);
            routes[name] = route;
            foreach (var model in routeOptions.ClaimModels) claims[model] = route;
            foreach (var prefix in route.PathPrefixes) prefixes.Add(new(prefix, route));
        }

        prefixes.Sort(static (a, b) => b.Key.Length.CompareTo(a.Key.Length));
        var passthrough = new Dictionary<string, UpstreamEndpoint>(StringComparer.Ordinal);
        if (options.Passthrough.Enabled)
        {
            foreach (var route in routes.Values)
            {
                foreach (var target in route.Targets)
                {
                    if (target is not null && !routes.ContainsKey(target.Model) && !claims.ContainsKey(target.Model)) passthrough.TryAdd(target.Model, target.Upstream);
                }
            }
        }

        var (modelList, modelsById) = ModelListWriter.Write(routes.Values, claims.Keys, passthrough.Keys);
        return new GatewaySnapshot
        {
            Generation = generation,
            RoutesByName = routes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
            Upstreams = [.. upstreams.Values],
            RoutesByClaimedModel = claims.ToFrozenDictionary(StringComparer.Ordinal),
            RoutesByPathPrefix = prefixes,
            PassthroughModels = passthrough.ToFrozenDictionary(StringComparer.Ordinal),
            ConfiguredModels = ConfiguredModels(routes.Values, claims.Keys),
            PassthroughEnabled = options.Passthrough.Enabled,
            PassthroughFallback = options.Passthrough.Enabled && options.Passthrough.Upstream is { Length: > 0 } fallback ? upstreams[fallback] : null,
            PassthroughDeadline = options.Passthrough.Deadline,
            MaxRequestBodyBytes = options.Gateway.MaxRequestBodyBytes,
            RequestBodyTimeout = options.Gateway.RequestBodyTimeout,
            UpstreamActivityTimeout = options.Gateway.UpstreamActivityTimeout,
            ForwarderConfig = new() { ActivityTimeout = options.Gateway.UpstreamActivityTimeout },
            ConnectTimeout = options.Gateway.ConnectTimeout,
            MaxHeldResponseBytes = options.Gateway.MaxHeldResponseBytes,
            MaxBufferedRequestBytes = options.Gateway.MaxBufferedRequestBytes,
            Classifier = options.Classifier,
            ModelListJson = modelList,
            ModelJsonById = modelsById,
            KeyFileFingerprints = keyFiles.ToFrozenDictionary(StringComparer.Ordinal),
            PriceNotes = TierPricing.Notes(options),
        };
    }

    private static FrozenSet<string> ConfiguredModels(IEnumerable<RouteModel> routes, IEnumerable<string> claimed)
    {
        var models = new HashSet<string>(claimed, StringComparer.Ordinal);
        foreach (var route in routes)
        {
            foreach (var target in route.Targets)
            {
                if (target is not null) models.Add(target.Model);
            }

            if (route.EmbeddingsModel is { } embeddings) models.Add(embeddings);
        }

        return models.ToFrozenSet(StringComparer.Ordinal);
    }

    private static RouteModel BuildRoute(string name, RouteOptions route, RightSizeOptions options, Dictionary<string, UpstreamEndpoint> upstreams)
    {
        var targets = new TierTarget?[3];
        foreach (var tier in (ReadOnlySpan<Tier>)[Tier.Small, Tier.Mid, Tier.Frontier])
        {
            targets[(int)tier] = ResolveTier(tier, route, options, upstreams);
        }

        var prefixes = new List<string> { DefaultPathPrefixRoot + name };
        if (route.PathPrefix is { Length: > 0 } prefix && !string.Equals(prefix, prefixes[0], StringComparison.OrdinalIgnoreCase)) prefixes.Add(prefix);
        var maxTier = Parse(route.MaxTier) ?? Tier.Frontier;
        var embeddingsUpstream = route.Embeddings.Upstream is { Length: > 0 } e ? upstreams[e] : targets[(int)maxTier]!.Upstream;
        return new RouteModel
        {
            Name = name,
            PathPrefixes = prefixes,
            FixedTier = Parse(route.Tier),
            DefaultTier = Parse(route.DefaultTier) ?? throw new InvalidOperationException($"Routes:{name}:DefaultTier is not a tier; RouteValidator refuses such options before they are built."),
            MinTier = Parse(route.MinTier) ?? Tier.Small,
            MaxTier = maxTier,
            Threshold = route.Threshold,
            MinConfidence = route.MinConfidence,
            AllowTierOverride = route.AllowTierOverride,
            Rules = new RequestRules(Parse(route.Rules.ToolsMinTier), Parse(route.Rules.MediaMinTier), route.Rules.LongPromptTokens),
            Targets = targets,
            EmbeddingsUpstream = embeddingsUpstream,
            EmbeddingsModel = route.Embeddings.Model,
            Deadline = route.Deadline,
            RetryAfterLimit = route.RetryAfterLimit,
        };
    }

    private static TierTarget? ResolveTier(Tier tier, RouteOptions route, RightSizeOptions options, Dictionary<string, UpstreamEndpoint> upstreams)
    {
        var name = tier.ToName();
        options.Tiers.TryGetValue(name, out var global);
        route.Tiers.TryGetValue(name, out var local);
        if (global is null && local is null) return null;
        var upstream = !string.IsNullOrWhiteSpace(local?.Upstream) ? local.Upstream : global!.Upstream!;
        var model = !string.IsNullOrWhiteSpace(local?.Model) ? local.Model : global!.Model!;
        return new TierTarget(tier, upstreams[upstream], model, TierPricing.Resolve(global, local));
    }

    private static Tier? Parse(string? name) => TierNames.TryParse(name, out var tier) ? tier : null;
}
