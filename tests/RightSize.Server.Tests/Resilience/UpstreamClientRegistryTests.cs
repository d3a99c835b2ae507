using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Resilience;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Resilience;

/// <summary>A reload keeps an upstream's client, and its circuit's history, only while the upstream is the same.</summary>
public sealed class UpstreamClientRegistryTests
{
    [Fact]
    public void Reload_SameUpstream_KeepsItsClientAndCircuit()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = SampleConfiguration.Store(configuration);
        using var pool = new ForwardingHttpClient(store);
        using var registry = new UpstreamClientRegistry(pool, TimeProvider.System, store);
        var before = registry.Get(Local(store));

        configuration["RightSize:Routes:auto:Threshold"] = "0.8";
        configuration.Reload();

        Assert.Equal(2, store.Current.Generation);
        Assert.Same(before, registry.Get(Local(store)));
    }

    [Fact]
    public void Reload_UpstreamAddressFixed_FreshCircuit()
    {
        // An open circuit gathered against a wrong URL must not outlive the operator's fix of it.
        var configuration = SampleConfiguration.Configuration();
        using var store = SampleConfiguration.Store(configuration);
        using var pool = new ForwardingHttpClient(store);
        using var registry = new UpstreamClientRegistry(pool, TimeProvider.System, store);
        var before = registry.Get(Local(store));

        configuration["RightSize:Upstreams:local:BaseUrl"] = "http://127.0.0.1:8001/v1";
        configuration.Reload();

        var after = registry.Get(Local(store));
        Assert.NotSame(before, after);
        Assert.NotSame(before.Circuit, after.Circuit);
        Assert.Equal("http://127.0.0.1:8001/v1", after.BaseUrl);
    }

    private static UpstreamEndpoint Local(GatewaySnapshotStore store) => store.Current.Upstreams.Single(u => u.Name == "local");
}
