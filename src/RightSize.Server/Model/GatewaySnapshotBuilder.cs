using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Classification.Rules;
using RightSize.Server.Configuration;

namespace RightSize.Server.Model;

/// <summary>Compiles validated options into a <see cref="GatewaySnapshot"/>, resolving upstream keys.</summary>
internal sealed class GatewaySnapshotBuilder(Func<string, string?> environment, Func<string, string> readFile)
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

    /// <summary>
    /// The errors of the upstream keys alone (<see cref="ResolveAuthorization"/>), for a configuration
    /// that other errors already keep from being built, so that every problem is listed at once. A
    /// key file that cannot be read is left to the validator, which reports a missing one.
    /// </summary>
    public List<string> KeyErrors(RightSizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (name, upstream) in options.Upstreams)
        {
            try
            {
                ResolveAuthorization(name, upstream, [], errors);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return errors;
    }

    /// <summary>
    /// The fingerprint of each key file in <paramref name="known"/> as it reads now. A file that
    /// cannot be read at the moment (a Secret's files are swapped by symlink) keeps its known
    /// fingerprint: the key in force stays until a new one can be read.
    /// </summary>
    public Dictionary<string, string> CurrentKeyFingerprints(IReadOnlyDictionary<string, string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var current = new Dictionary<string, string>(known.Count, StringComparer.Ordinal);
        foreach (var (path, fingerprint) in known)
        {
            try
            {
                current[path] = Fingerprint(readFile(path).Trim());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                current[path] = fingerprint;
            }
        }

        return current;
    }

    /// <summary>
    /// The key files of <paramref name="paths"/> that cannot be read now: gone (a deleted file, a
    /// Secret's symlink that points at nothing) or not readable. <see cref="CurrentKeyFingerprints"/>
    /// does not tell these apart from an unchanged file.
    /// </summary>
    public string[] UnreadableKeyFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var unreadable = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                _ = readFile(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable.Add(path);
            }
        }

        return [.. unreadable];
    }

    /// <summary>A key's SHA-256, so that a snapshot can tell a changed file without holding the key twice.</summary>
    private static string Fingerprint(string key) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

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

    /// <summary>
    /// The upstream's <c>Authorization</c> value, or null; a key read from a file is added to
    /// <paramref name="keyFiles"/> by its fingerprint. Both kinds of key lose the white space at
    /// their ends (a Secret written with <c>echo</c> ends in a line break); an empty key file is an
    /// error in <paramref name="errors"/>. A key that still holds a
    /// character other than visible ASCII is an error in <paramref name="errors"/>, which does not
    /// show it: the value goes into a request header unchecked, and a line break inside it would
    /// end the header block and send the rest of the request as a second one.
    /// </summary>
    private string? ResolveAuthorization(string name, UpstreamOptions upstream, Dictionary<string, string> keyFiles, List<string> errors)
    {
        string? key = null;
        var source = "";
        if (!string.IsNullOrWhiteSpace(upstream.ApiKeyEnv))
        {
            key = environment(upstream.ApiKeyEnv)?.Trim();
            source = $"ApiKeyEnv (the environment variable {upstream.ApiKeyEnv})";
        }

        if (string.IsNullOrEmpty(key) && !string.IsNullOrWhiteSpace(upstream.ApiKeyFile))
        {
            key = ReadKeyFile(name, upstream.ApiKeyFile).Trim();
            keyFiles[upstream.ApiKeyFile] = Fingerprint(key);
            if (key.Length == 0)
            {
                // Most often a Secret caught between truncation and write: refused, so a rotation keeps the key in force.
                errors.Add($"{RightSizeOptions.SectionName}:Upstreams:{name}:ApiKeyFile names an empty file (or one of white space only). Write the key into it, or remove ApiKeyFile for an upstream without a key.");
                return null;
            }

            source = "ApiKeyFile";
        }

        if (string.IsNullOrEmpty(key)) return null;
        if (key.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            errors.Add($"{RightSizeOptions.SectionName}:Upstreams:{name}: the key from {source} holds a space, a line break or another character that is not visible ASCII inside it; it is not shown. The key must be the key alone, on one line.");
            return null;
        }

        return "Bearer " + key;
    }

    /// <summary>
    /// The key file's text. A file that exists but cannot be read (access denied, an I/O error, or
    /// replaced between the check and the read) throws an <see cref="IOException"/> whose message
    /// names the setting: a start reports it as a configuration error, a reload tries again.
    /// </summary>
    private string ReadKeyFile(string name, string path)
    {
        try
        {
            return readFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{RightSizeOptions.SectionName}:Upstreams:{name}:ApiKeyFile could not be read: {ex.Message}", ex);
        }
    }
}
