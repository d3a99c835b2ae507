using System.Globalization;
using System.Text.Json.Nodes;
using RightSize.Deployment.Tests.Infrastructure;
using RightSize.Server.Configuration;
using RightSize.Server.Telemetry;

namespace RightSize.Deployment.Tests.Kubernetes;

/// <summary>
/// The standalone overlay: a shared Service in front of replicas that listen on the pod IP, probed by
/// httpGet, scaled by the autoscaler and scraped by Prometheus.
/// </summary>
public sealed class StandaloneOverlayTests
{
    private const string GatewayContainer = "rightsize";
    private const int GatewayPort = 8080;

    [Fact]
    public async Task Render_Standalone_GatewayListensOnItsPortAndProbesHealthEndpointsThere()
    {
        var gateway = Kustomize.Container(Kustomize.OneOf(await Kustomize.RenderAsync("standalone"), "Deployment"), GatewayContainer);

        var port = Assert.Single(gateway["ports"]!.AsArray())!;
        Assert.Equal(GatewayPort, (int)port["containerPort"]!);
        Assert.Equal(GatewayPort.ToString(CultureInfo.InvariantCulture), (string?)Kustomize.Env(gateway, "ASPNETCORE_HTTP_PORTS")!["value"]);
        Assert.Null(Kustomize.Env(gateway, "ASPNETCORE_URLS"));
        AssertProbe(gateway, "livenessProbe", "/healthz", port);
        AssertProbe(gateway, "readinessProbe", "/readyz", port);
        AssertProbe(gateway, "startupProbe", "/healthz", port);
    }

    [Fact]
    public async Task Render_Standalone_PodAnnotationsTellPrometheusToScrapeMetricsOnTheHttpPort()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var annotations = deployment["spec"]!["template"]!["metadata"]!["annotations"] ?? throw new Xunit.Sdk.XunitException("the pod template has no annotations");
        var port = Assert.Single(Kustomize.Container(deployment, GatewayContainer)["ports"]!.AsArray())!;

        Assert.Equal("true", (string?)annotations["prometheus.io/scrape"]);
        Assert.Equal(port["containerPort"]!.ToString(), (string?)annotations["prometheus.io/port"]);
        Assert.Equal(ScrapePath(objects), (string?)annotations["prometheus.io/path"]);
    }

    [Fact]
    public async Task PodMonitor_Optional_SelectsTheStandalonePodsAndScrapesTheirHttpPort()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var podMonitor = Assert.Single(MiniYaml.ParseDocuments(await File.ReadAllTextAsync(Repository.PathOf("deploy", "k8s", "overlays", "standalone", "podmonitor.yaml"))));

        // Optional: the PodMonitor kind exists only where the Prometheus Operator's CRDs are installed.
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "PodMonitor");
        Assert.Equal("monitoring.coreos.com/v1", (string?)podMonitor["apiVersion"]);
        Assert.Equal("PodMonitor", (string?)podMonitor["kind"]);
        AssertSelects(podMonitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject());
        var endpoint = Assert.Single(podMonitor["spec"]!["podMetricsEndpoints"]!.AsArray())!;
        var port = Assert.Single(Kustomize.Container(deployment, GatewayContainer)["ports"]!.AsArray())!;
        Assert.Equal((string?)port["name"], (string?)endpoint["port"]);
        Assert.Equal(ScrapePath(objects), (string?)endpoint["path"]);
    }

    [Fact]
    public async Task Render_Standalone_DeploymentLeavesTheReplicaCountToTheAutoscaler()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var deployment = Kustomize.OneOf(objects, "Deployment");

        // A count in the manifest would be re-applied by every `kubectl apply -k` and undo the HPA's scaling.
        Assert.Null(deployment["spec"]!["replicas"]);
        Assert.Equal(0, (int)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
    }

    [Fact]
    public async Task Render_Standalone_ServiceHpaAndPdbSelectTheGatewayPods()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var service = Kustomize.OneOf(objects, "Service");
        var hpa = Kustomize.OneOf(objects, "HorizontalPodAutoscaler");
        var pdb = Kustomize.OneOf(objects, "PodDisruptionBudget");

        AssertSelects(service["spec"]!["selector"]!.AsObject(), podLabels);
        AssertSelects(pdb["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels);
        var servicePort = Assert.Single(service["spec"]!["ports"]!.AsArray())!;
        Assert.Equal("http", (string?)servicePort["targetPort"]);
        Assert.Equal("Deployment", (string?)hpa["spec"]!["scaleTargetRef"]!["kind"]);
        Assert.Equal((string?)deployment["metadata"]!["name"], (string?)hpa["spec"]!["scaleTargetRef"]!["name"]);
        Assert.True((int)hpa["spec"]!["minReplicas"]! >= 2);

        // One pod at a time, however far the autoscaler has scaled out: a minAvailable of 1 would let
        // a node drain evict all but one of ten busy replicas at once.
        Assert.Null(pdb["spec"]!["minAvailable"]);
        Assert.Equal(1, (int)pdb["spec"]!["maxUnavailable"]!);
    }

    [Fact]
    public async Task Render_Standalone_ShutdownTimeoutLetsTheLongestNonStreamingAnswerFinish()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var gateway = Kustomize.Container(Kustomize.OneOf(objects, "Deployment"), GatewayContainer);
        var settings = JsonNode.Parse((string)Kustomize.OneOf(objects, "ConfigMap")["data"]!["appsettings.json"]!)!;

        // A non-streaming answer arrives whole, after up to its upstream's HeadersTimeout: a drain that
        // ends sooner answers 503 after the provider billed the tokens, and the SDK's retry pays again.
        var longest = settings["RightSize"]!["Upstreams"]!.AsObject()
            .Select(u => (string?)u.Value!["HeadersTimeout"] is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : ResilienceDefaults.HeadersTimeout)
            .Max();
        var shutdown = KustomizeRenderTests.ShutdownTimeout(gateway);
        Assert.True(shutdown > longest, $"ShutdownTimeout {shutdown} does not outlast the longest HeadersTimeout {longest}");
        Assert.True(KustomizeRenderTests.PreStopSeconds(gateway) > 0, "no preStop sleep while the Service's endpoints are updated");
    }

    [Fact]
    public async Task Render_Standalone_AutoscalerScalesInOneReplicaAtATimeAfterAStableWindow()
    {
        var hpa = Kustomize.OneOf(await Kustomize.RenderAsync("standalone"), "HorizontalPodAutoscaler");
        var scaleDown = hpa["spec"]!["behavior"]?["scaleDown"] ?? throw new Xunit.Sdk.XunitException("no behavior.scaleDown: the default removes up to every surplus replica at once");

        Assert.True((int)scaleDown["stabilizationWindowSeconds"]! >= 300, "a shorter window than the default 5 minutes");
        var policies = scaleDown["policies"]!.AsArray();
        Assert.NotEmpty(policies);
        Assert.All(policies, p =>
        {
            Assert.Equal("Pods", (string?)p!["type"]);
            Assert.Equal(1, (int)p["value"]!);
            Assert.True((int)p["periodSeconds"]! >= 60);
        });
    }

    [Fact]
    public async Task Render_Standalone_ReplicasSpreadOverZonesAndNodes()
    {
        var deployment = Kustomize.OneOf(await Kustomize.RenderAsync("standalone"), "Deployment");
        var podLabels = LabelSelector.Labels(deployment["spec"]!["template"]!["metadata"]!["labels"]);
        var constraints = Kustomize.PodSpec(deployment)["topologySpreadConstraints"]?.AsArray() ?? throw new Xunit.Sdk.XunitException("no topologySpreadConstraints");

        foreach (var key in new[] { "topology.kubernetes.io/zone", "kubernetes.io/hostname" })
        {
            var constraint = Assert.Single(constraints, c => (string?)c!["topologyKey"] == key)!;
            Assert.True(LabelSelector.Selects(constraint["labelSelector"], podLabels), $"the {key} constraint does not count the gateway's own pods");
            Assert.Equal("ScheduleAnyway", (string?)constraint["whenUnsatisfiable"]); // a small cluster still schedules every replica
        }
    }

    /// <summary>The Prometheus path the gateway serves with the rendered ConfigMap (its own default unless the ConfigMap sets one).</summary>
    private static string ScrapePath(IReadOnlyList<JsonNode> objects)
    {
        var settings = JsonNode.Parse((string)Kustomize.OneOf(objects, "ConfigMap")["data"]!["appsettings.json"]!)!;
        return (string?)settings["RightSize"]?["Telemetry"]?["PrometheusPath"] ?? TelemetryConstants.DefaultPrometheusPath;
    }

    private static void AssertProbe(JsonNode container, string probe, string path, JsonNode port)
    {
        var get = container[probe]?["httpGet"] ?? throw new Xunit.Sdk.XunitException($"{probe} has no httpGet");
        Assert.Equal(path, (string?)get["path"]);
        var target = get["port"]!.ToString();
        Assert.True(target == (string?)port["name"] || target == port["containerPort"]!.ToString(), $"{probe} targets port {target}");
    }

    private static void AssertSelects(JsonObject selector, JsonObject labels)
    {
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector) Assert.Equal(value!.ToString(), labels[key]?.ToString());
    }
}
