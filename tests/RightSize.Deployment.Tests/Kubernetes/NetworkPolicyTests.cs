using System.Text.Json.Nodes;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Kubernetes;

/// <summary>
/// The standalone overlay's NetworkPolicy: the gateway spends the provider key for whoever reaches it,
/// so only labelled clients and the monitoring namespace reach its port, and it reaches only DNS and
/// the upstreams its ConfigMap names.
/// </summary>
public sealed class NetworkPolicyTests
{
    private const string GatewayContainer = "rightsize";
    private const string GatewayNamespace = "rightsize-test";

    [Fact]
    public async Task Render_Standalone_NetworkPolicySelectsTheGatewayPodsAndAdmitsOnlyItsPort()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var policy = Kustomize.OneOf(objects, "NetworkPolicy");
        var port = Assert.Single(Kustomize.Container(deployment, GatewayContainer)["ports"]!.AsArray())!;

        Assert.True(LabelSelector.Selects(policy["spec"]!["podSelector"], LabelSelector.Labels(deployment["spec"]!["template"]!["metadata"]!["labels"])), "the NetworkPolicy does not select the gateway pods");
        Assert.Equal(["Ingress", "Egress"], policy["spec"]!["policyTypes"]!.AsArray().Select(t => (string)t!));
        foreach (var rule in policy["spec"]!["ingress"]!.AsArray())
        {
            // A rule without "from" admits every source; one without "ports" every port.
            Assert.NotEmpty(rule!["from"]?.AsArray() ?? []);
            var ports = rule["ports"]?.AsArray() ?? throw new Xunit.Sdk.XunitException("an ingress rule admits every port");
            Assert.All(ports, p => Assert.True(p!["port"]!.ToString() == (string?)port["name"] || p["port"]!.ToString() == port["containerPort"]!.ToString(), $"ingress admits port {p["port"]}, not the gateway's"));
        }
    }

    [Theory]
    [InlineData("a pod of a labelled client namespace", "shop", "rightsize-client=true", "", true)]
    [InlineData("a labelled pod in the gateway's namespace", GatewayNamespace, "", "rightsize-client=true", true)]
    [InlineData("Prometheus in the monitoring namespace", "monitoring", "", "app.kubernetes.io/name=prometheus", true)]
    [InlineData("an unlabelled pod in the gateway's namespace", GatewayNamespace, "", "app=other", false)]
    [InlineData("a labelled pod in an unlabelled namespace", "elsewhere", "", "rightsize-client=true", false)]
    public async Task Render_Standalone_NetworkPolicyAdmits(string who, string ns, string namespaceLabels, string podLabels, bool admitted)
    {
        var policy = Kustomize.OneOf(await Kustomize.RenderAsync("standalone"), "NetworkPolicy");
        var namespaceSet = Parse(namespaceLabels);
        namespaceSet["kubernetes.io/metadata.name"] = ns;

        var admits = policy["spec"]!["ingress"]!.AsArray().Any(rule => rule!["from"]!.AsArray().Any(peer => Matches(peer!, namespaceSet, Parse(podLabels))));
        Assert.True(admits == admitted, $"{who}: admitted {admits}, expected {admitted}");
    }

    [Fact]
    public async Task Render_Standalone_NetworkPolicyLetsTheGatewayResolveNames()
    {
        var policy = Kustomize.OneOf(await Kustomize.RenderAsync("standalone"), "NetworkPolicy");
        var kubeSystem = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = "kube-system" };
        var coreDns = new Dictionary<string, string>(StringComparer.Ordinal) { ["k8s-app"] = "kube-dns" };

        // The overlay's commonLabels must not have leaked into the peer's selector: CoreDNS pods carry no such label.
        foreach (var protocol in new[] { "UDP", "TCP" })
        {
            Assert.True(Egress(policy).Any(rule => AllowsPort(rule, 53, protocol) && rule["to"]!.AsArray().Any(peer => Matches(peer!, kubeSystem, coreDns))), $"no egress to kube-dns on {protocol} 53");
        }
    }

    [Fact]
    public async Task Render_Standalone_NetworkPolicyLetsTheGatewayReachEveryUpstreamOfItsConfigMap()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var policy = Kustomize.OneOf(objects, "NetworkPolicy");
        var settings = JsonNode.Parse((string)Kustomize.OneOf(objects, "ConfigMap")["data"]!["appsettings.json"]!)!;
        var upstreams = settings["RightSize"]!["Upstreams"]!.AsObject();
        Assert.NotEmpty(upstreams);

        foreach (var (name, upstream) in upstreams)
        {
            var url = new Uri((string)upstream!["BaseUrl"]!);
            var labels = Parse("app=model-server");
            Dictionary<string, string> namespaceLabels;
            var parts = url.Host.Split('.');
            if (url.Host.EndsWith(".svc.cluster.local", StringComparison.Ordinal) || (parts.Length == 3 && parts[2] == "svc"))
            {
                // service.namespace.svc...: a pod of that namespace (NetworkPolicy sees the pod behind the Service).
                namespaceLabels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = parts[1] };
                Assert.True(Egress(policy).Any(rule => AllowsPort(rule, url.Port, "TCP") && rule["to"]!.AsArray().Any(peer => Matches(peer!, namespaceLabels, labels))), $"upstream {name} ({url}): no egress to namespace {parts[1]} on port {url.Port}");
            }
            else
            {
                Assert.True(Egress(policy).Any(rule => AllowsPort(rule, url.Port, "TCP") && rule["to"]!.AsArray().Any(peer => (string?)peer!["ipBlock"]?["cidr"] == "0.0.0.0/0")), $"upstream {name} ({url}): no egress to outside addresses on port {url.Port}");
            }
        }
    }

    private static IEnumerable<JsonNode> Egress(JsonNode policy) => policy["spec"]!["egress"]!.AsArray().Select(r => r!);

    private static bool AllowsPort(JsonNode rule, int port, string protocol) =>
        rule["ports"]!.AsArray().Any(p => p!["port"]!.ToString() == port.ToString(System.Globalization.CultureInfo.InvariantCulture) && ((string?)p["protocol"] ?? "TCP") == protocol);

    /// <summary>Whether a from/to peer matches a pod: a pod selector alone means the policy's own namespace.</summary>
    private static bool Matches(JsonNode peer, Dictionary<string, string> namespaceLabels, Dictionary<string, string> podLabels)
    {
        if (peer["ipBlock"] is not null) return false;
        var namespaceOk = peer["namespaceSelector"] is { } namespaces
            ? LabelSelector.Selects(namespaces, namespaceLabels)
            : namespaceLabels["kubernetes.io/metadata.name"] == GatewayNamespace;
        var podOk = peer["podSelector"] is not { } pods || LabelSelector.Selects(pods, podLabels);
        return namespaceOk && podOk;
    }

    private static Dictionary<string, string> Parse(string labels) =>
        labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(l => l[0], l => l[1], StringComparer.Ordinal);
}
