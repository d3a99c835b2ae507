using System.Collections.Frozen;
using RightSize.Server.Configuration;

namespace RightSize.Server.Model;

/// <summary>
/// Everything a request needs from configuration, compiled once per configuration change and
/// swapped atomically: a request reads one snapshot from start to end.
/// </summary>
internal sealed class GatewaySnapshot
{
    public required int Generation { get; init; }

    /// <summary>The upstream key files this snapshot read, each with the SHA-256 of the key it found (see <see cref="GatewaySnapshotBuilder.CurrentKeyFingerprints"/>).</summary>
    public FrozenDictionary<string, string> KeyFileFingerprints { get; init; } = FrozenDictionary<string, string>.Empty;

    public required FrozenDictionary<string, RouteModel> RoutesByName { get; init; }

    /// <summary>Every configured upstream.</summary>
    public required IReadOnlyList<UpstreamEndpoint> Upstreams { get; init; }

    /// <summary>Concrete model names claimed by a route on the root path.</summary>
    public required FrozenDictionary<string, RouteModel> RoutesByClaimedModel { get; init; }

    /// <summary>Path prefixes, longest first.</summary>
    public required IReadOnlyList<KeyValuePair<string, RouteModel>> RoutesByPathPrefix { get; init; }

    /// <summary>Concrete tier models that pass through unchanged to their upstream.</summary>
    public required FrozenDictionary<string, UpstreamEndpoint> PassthroughModels { get; init; }

    /// <summary>
    /// <c>Passthrough:Enabled</c>: whether a model the client names may reach an upstream unchanged.
    /// Off, a route's embeddings are served only with its <c>Embeddings:Model</c>.
    /// </summary>
    public required bool PassthroughEnabled { get; init; }

    /// <summary>Where any other unclaimed model goes; null means 404.</summary>
    public UpstreamEndpoint? PassthroughFallback { get; init; }

    public required TimeSpan PassthroughDeadline { get; init; }

    public required int MaxRequestBodyBytes { get; init; }

    /// <summary><c>Gateway:RequestBodyTimeout</c>.</summary>
    public required TimeSpan RequestBodyTimeout { get; init; }

    public required TimeSpan UpstreamActivityTimeout { get; init; }

    /// <summary>YARP's per-request settings (<see cref="UpstreamActivityTimeout"/>), built once with the snapshot.</summary>
    public required Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig ForwarderConfig { get; init; }

    /// <summary>Read at start-up only: the outbound connection pool is not rebuilt on reload.</summary>
    public required TimeSpan ConnectTimeout { get; init; }

    /// <summary><c>Gateway:MaxBufferedRequestBytes</c>; read from the first snapshot only (<see cref="Endpoints.RequestBodyBudget"/>).</summary>
    public required long MaxBufferedRequestBytes { get; init; }

    /// <summary><c>Gateway:MaxHeldResponseBytes</c>; read from the first snapshot only (<see cref="Forwarding.HeldResponseBudget"/>).</summary>
    public required long MaxHeldResponseBytes { get; init; }

    public required ClassifierOptions Classifier { get; init; }

    /// <summary>The <c>GET /v1/models</c> body, rendered once.</summary>
    public required byte[] ModelListJson { get; init; }

    /// <summary>What <see cref="TierPricing.Notes"/> says of the prices this configuration leaves out.</summary>
    public IReadOnlyList<string> PriceNotes { get; init; } = [];

    /// <summary>Each model of <see cref="ModelListJson"/> as its own <c>GET /v1/models/{model}</c> body, by id.</summary>
    public required FrozenDictionary<string, byte[]> ModelJsonById { get; init; }

    /// <summary>The <c>GET /v1/models/{model}</c> body for a listed model (a route name in any case), or null.</summary>
    public byte[]? ModelJson(string model)
    {
        if (RoutesByName.TryGetValue(model, out var route)) model = route.Name;
        return ModelJsonById.GetValueOrDefault(model);
    }

    /// <summary>Every concrete model name the configuration holds: claimed models, tier models (global and per route) and embeddings models.</summary>
    public required FrozenSet<string> ConfiguredModels { get; init; }

    /// <summary>
    /// The configuration's own spelling of <paramref name="model"/> when it is a route name or one
    /// of <see cref="ConfiguredModels"/>; null for any other name, such as one a client made up.
    /// </summary>
    public string? ConfiguredModelName(string? model)
    {
        if (model is null) return null;
        if (RoutesByName.TryGetValue(model, out var route)) return route.Name;
        return ConfiguredModels.Contains(model) ? model : null;
    }
}
