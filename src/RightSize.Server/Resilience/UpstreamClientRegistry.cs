using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;

namespace RightSize.Server.Resilience;

/// <summary>
/// One <see cref="UpstreamClient"/> per configured upstream, rebuilt when configuration changes.
/// An upstream whose address and resilience settings did not change keeps its client, and so its
/// circuit's state. A request still running on an older snapshot keeps using the client that
/// served that snapshot's upstream, so its circuit goes on counting (and stays open) for it.
/// </summary>
internal sealed class UpstreamClientRegistry : IDisposable
{
    private readonly ForwardingHttpClient _pool;
    private readonly TimeProvider _timeProvider;
    private readonly GatewaySnapshotStore _store;
    private readonly ILogger<UpstreamClientRegistry> _logger;

    // The clients of snapshots no longer in force, by the endpoint object those snapshots hold:
    // an entry lives as long as a request still holds its snapshot. It also serves a request that
    // sees a new snapshot before the registry has been told of it.
    private readonly ConditionalWeakTable<UpstreamEndpoint, UpstreamClient> _byEndpoint = [];
    private volatile FrozenDictionary<string, UpstreamClient> _clients;
    private GatewaySnapshot _snapshot; // the one _clients were built for; changed only under the store's lock

    public UpstreamClientRegistry(ForwardingHttpClient pool, TimeProvider timeProvider, GatewaySnapshotStore store, ILogger<UpstreamClientRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        _pool = pool;
        _timeProvider = timeProvider;
        _store = store;
        _logger = logger;
        _snapshot = store.Current;
        _clients = Build(_snapshot, FrozenDictionary<string, UpstreamClient>.Empty);
        store.Changed += OnChanged;
    }

    public IEnumerable<UpstreamClient> All => _clients.Values;

    public UpstreamClient Get(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (_clients.TryGetValue(upstream.Name, out var client) && client.Serves(upstream)) return client;
        return _byEndpoint.GetValue(upstream, Create);
    }

    public void Dispose() => _store.Changed -= OnChanged;

    private void OnChanged(GatewaySnapshot snapshot)
    {
        foreach (var upstream in _snapshot.Upstreams)
        {
            if (_clients.TryGetValue(upstream.Name, out var client)) _byEndpoint.AddOrUpdate(upstream, client);
        }

        _clients = Build(snapshot, _clients);
        _snapshot = snapshot;
    }

    private FrozenDictionary<string, UpstreamClient> Build(GatewaySnapshot snapshot, FrozenDictionary<string, UpstreamClient> previous)
    {
        var clients = new Dictionary<string, UpstreamClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in snapshot.Upstreams)
        {
            if (previous.TryGetValue(upstream.Name, out var existing) && existing.Serves(upstream)) clients[upstream.Name] = existing;
            else if (_byEndpoint.TryGetValue(upstream, out var early)) clients[upstream.Name] = early;
            else clients[upstream.Name] = Create(upstream);
        }

        return clients.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private UpstreamClient Create(UpstreamEndpoint upstream)
    {
        var circuit = new UpstreamCircuit(_timeProvider);
        var pipeline = UpstreamPipelineFactory.Create(upstream.Resilience, _timeProvider, circuit, _logger, upstream.Name);
        var invoker = new HttpMessageInvoker(new ResilientUpstreamHandler(pipeline, _pool.Handler), disposeHandler: false);
        return new UpstreamClient(upstream.Name, upstream.BaseUrl, upstream.Resilience, invoker, circuit);
    }
}
