using System.Collections.Frozen;
using Polly.CircuitBreaker;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;

namespace RightSize.Server.Resilience;

/// <summary>
/// One <see cref="UpstreamClient"/> per configured upstream, rebuilt when configuration changes.
/// An upstream whose address and resilience settings did not change keeps its client, and so its circuit's state.
/// </summary>
public sealed class UpstreamClientRegistry : IDisposable
{
    private readonly ForwardingHttpClient _pool;
    private readonly TimeProvider _timeProvider;
    private readonly GatewaySnapshotStore _store;
    private volatile FrozenDictionary<string, UpstreamClient> _clients;

    public UpstreamClientRegistry(ForwardingHttpClient pool, TimeProvider timeProvider, GatewaySnapshotStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _pool = pool;
        _timeProvider = timeProvider;
        _store = store;
        _clients = Build(store.Current, FrozenDictionary<string, UpstreamClient>.Empty);
        store.Changed += OnChanged;
    }

    public IEnumerable<UpstreamClient> All => _clients.Values;

    public UpstreamClient Get(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (_clients.TryGetValue(upstream.Name, out var client) && client.Serves(upstream)) return client;

        // A request that started on an older snapshot: give it a client for the settings it sees.
        return Create(upstream);
    }

    public void Dispose() => _store.Changed -= OnChanged;

    private void OnChanged(GatewaySnapshot snapshot) => _clients = Build(snapshot, _clients);

    private FrozenDictionary<string, UpstreamClient> Build(GatewaySnapshot snapshot, FrozenDictionary<string, UpstreamClient> previous)
    {
        var clients = new Dictionary<string, UpstreamClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in snapshot.Upstreams)
        {
            clients[upstream.Name] = previous.TryGetValue(upstream.Name, out var existing) && existing.Serves(upstream)
                ? existing
                : Create(upstream);
        }

        return clients.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private UpstreamClient Create(UpstreamEndpoint upstream)
    {
        var circuit = new CircuitBreakerStateProvider();
        var pipeline = UpstreamPipelineFactory.Create(upstream.Resilience, _timeProvider, circuit);
        var invoker = new HttpMessageInvoker(new ResilientUpstreamHandler(pipeline, _pool.Handler), disposeHandler: false);
        return new UpstreamClient(upstream.Name, upstream.BaseUrl, upstream.Resilience, invoker, circuit);
    }
}
