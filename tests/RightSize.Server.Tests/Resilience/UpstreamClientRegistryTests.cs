using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Configuration;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Resilience;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Resilience;

/// <summary>A reload keeps an upstream's client, and its circuit's history, only while the upstream is the same.</summary>
public sealed class UpstreamClientRegistryTests : IDisposable
{
    private readonly IConfigurationRoot _configuration = SampleConfiguration.Configuration();
    private readonly GatewaySnapshotStore _store;
    private readonly ForwardingHttpClient _pool;
    private readonly UpstreamClientRegistry _registry;

    public UpstreamClientRegistryTests()
    {
        _store = SampleConfiguration.Store(_configuration);
        _pool = new ForwardingHttpClient(_store);
        _registry = new UpstreamClientRegistry(_pool, TimeProvider.System, _store, NullLogger<UpstreamClientRegistry>.Instance);
    }

    public void Dispose()
    {
        _registry.Dispose();
        _pool.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void Reload_SameUpstream_KeepsItsClientAndCircuit()
    {
        var before = _registry.Get(Local());

        Reload("RightSize:Routes:auto:Threshold", "0.8");

        Assert.Equal(2, _store.Current.Generation);
        Assert.Same(before, _registry.Get(Local()));
    }

    [Fact]
    public void Reload_UpstreamAddressFixed_FreshCircuit()
    {
        // An open circuit gathered against a wrong URL must not outlive the operator's fix of it.
        var before = _registry.Get(Local());

        Reload("RightSize:Upstreams:local:BaseUrl", "http://127.0.0.1:8001/v1");

        var after = _registry.Get(Local());
        Assert.NotSame(before, after);
        Assert.NotSame(before.Circuit, after.Circuit);
        Assert.Equal("http://127.0.0.1:8001/v1", after.BaseUrl);
    }

    [Fact]
    public void Reload_UpstreamChanged_RequestStillOnTheOldSnapshotKeepsTheOldClient()
    {
        // Its circuit goes on counting for the requests that started before the reload: a fresh one
        // per attempt would never open, and every attempt would pay the failing upstream's timeout.
        var old = Local();
        var before = _registry.Get(old);

        Reload("RightSize:Upstreams:local:HeadersTimeout", "00:00:07");

        Assert.Same(before, _registry.Get(old));
        Assert.Same(_registry.Get(old), _registry.Get(old));
        Assert.NotSame(before, _registry.Get(Local()));
    }

    [Fact]
    public void Reload_RequestSeesTheNewSnapshotBeforeTheRegistryDoes_OneClientForIt()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = SampleConfiguration.Store(configuration);
        using var pool = new ForwardingHttpClient(store);
        UpstreamClientRegistry? registry = null;
        UpstreamClient? early = null;
        store.Changed += snapshot => early = registry!.Get(snapshot.Upstreams.Single(u => u.Name == "local")); // runs before the registry's own handler
        registry = new UpstreamClientRegistry(pool, TimeProvider.System, store, NullLogger<UpstreamClientRegistry>.Instance);
        using var disposeRegistry = registry;

        configuration["RightSize:Upstreams:local:HeadersTimeout"] = "00:00:07";
        configuration.Reload();

        Assert.NotNull(early);
        Assert.Same(early, registry.Get(store.Current.Upstreams.Single(u => u.Name == "local")));
    }

    private void Reload(string key, string value)
    {
        _configuration[key] = value;
        _configuration.Reload();
    }

    private UpstreamEndpoint Local() => _store.Current.Upstreams.Single(u => u.Name == "local");
}
