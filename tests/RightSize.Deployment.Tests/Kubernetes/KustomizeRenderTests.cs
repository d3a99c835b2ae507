using System.Globalization;
using System.Text.Json.Nodes;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Kubernetes;

/// <summary>Both overlays render, and the rendered objects have what running RightSize safely needs.</summary>
public sealed class KustomizeRenderTests
{
    private const string GatewayContainer = "rightsize";
    private const int GatewayPort = 8080;

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_GatewayContainerProbesHealthEndpointsOnItsPort(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var gateway = Kustomize.Container(Kustomize.OneOf(objects, "Deployment"), GatewayContainer);

        var port = Assert.Single(gateway["ports"]!.AsArray());
        Assert.Equal(GatewayPort, (int)port!["containerPort"]!);
        Assert.Equal(GatewayPort.ToString(CultureInfo.InvariantCulture), (string?)Kustomize.Env(gateway, "ASPNETCORE_HTTP_PORTS")!["value"]);
        AssertProbe(gateway, "livenessProbe", "/healthz", port);
        AssertProbe(gateway, "readinessProbe", "/readyz", port);
        AssertProbe(gateway, "startupProbe", "/healthz", port);
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_EveryContainerNonRootReadOnlyNoCapabilitiesWithResources(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var pod = Kustomize.PodSpec(Kustomize.OneOf(objects, "Deployment"));

        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal(1654, (int)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]?["type"]);
        foreach (var container in Kustomize.AllContainers(Kustomize.OneOf(objects, "Deployment")))
        {
            var name = (string)container!["name"]!;
            var security = container["securityContext"] ?? throw new Xunit.Sdk.XunitException($"{overlay}/{name}: no securityContext");
            Assert.True((bool)security["runAsNonRoot"]!, $"{overlay}/{name}: runAsNonRoot");
            Assert.False((bool)security["allowPrivilegeEscalation"]!, $"{overlay}/{name}: allowPrivilegeEscalation");
            Assert.True((bool)security["readOnlyRootFilesystem"]!, $"{overlay}/{name}: readOnlyRootFilesystem");
            Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
            Assert.NotNull(container["resources"]?["requests"]?["cpu"]);
            Assert.NotNull(container["resources"]?["requests"]?["memory"]);
            Assert.NotNull(container["resources"]?["limits"]?["memory"]);
        }
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_ConfigFromMountedConfigMapDirectoryAndTmpIsAnEmptyDir(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var gateway = Kustomize.Container(deployment, GatewayContainer);
        var configMap = Kustomize.OneOf(objects, "ConfigMap");
        var volumes = Kustomize.PodSpec(deployment)["volumes"]!.AsArray();
        var mounts = gateway["volumeMounts"]!.AsArray();

        var configDir = (string)Kustomize.Env(gateway, "RIGHTSIZE_CONFIG_DIR")!["value"]!;
        var configMount = Assert.Single(mounts, m => (string?)m!["mountPath"] == configDir)!;
        Assert.Null(configMount["subPath"]); // a subPath mount never sees ConfigMap updates
        var configVolume = Assert.Single(volumes, v => (string?)v!["name"] == (string?)configMount["name"])!;
        Assert.Equal((string?)configMap["metadata"]!["name"], (string?)configVolume["configMap"]!["name"]);
        Assert.NotNull(System.Text.Json.JsonDocument.Parse((string)configMap["data"]!["appsettings.json"]!));

        var tmpMount = Assert.Single(mounts, m => (string?)m!["mountPath"] == "/tmp")!;
        var tmpVolume = Assert.Single(volumes, v => (string?)v!["name"] == (string?)tmpMount["name"])!;
        Assert.NotNull(tmpVolume["emptyDir"]);
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_ProviderKeyComesFromSecretAndNamedByApiKeyEnv(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var gateway = Kustomize.Container(Kustomize.OneOf(objects, "Deployment"), GatewayContainer);
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "Secret");

        var keyVariable = (string)Kustomize.Env(gateway, "RightSize__Upstreams__openai__ApiKeyEnv")!["value"]!;
        var key = Kustomize.Env(gateway, keyVariable)!;
        Assert.Null(key["value"]);
        Assert.Equal("rightsize-provider-keys", (string?)key["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)key["valueFrom"]!["secretKeyRef"]!["key"]));
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_GracePeriodCoversPreStopSleepAndShutdownTimeout(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var gateway = Kustomize.Container(deployment, GatewayContainer);

        var grace = (int)Kustomize.PodSpec(deployment)["terminationGracePeriodSeconds"]!;
        var preStop = (int)gateway["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!;
        var shutdown = TimeSpan.Parse((string)Kustomize.Env(gateway, "RightSize__Gateway__ShutdownTimeout")!["value"]!, CultureInfo.InvariantCulture);
        Assert.True(preStop > 0);
        Assert.True(grace >= preStop + shutdown.TotalSeconds, $"terminationGracePeriodSeconds {grace} < preStop {preStop} s + shutdown timeout {shutdown}");
    }

    [Fact]
    public async Task Render_Sidecar_AppContainerPointsAtGatewayOnLocalhost()
    {
        var objects = await Kustomize.RenderAsync("sidecar");
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var app = Assert.Single(Kustomize.PodSpec(deployment)["containers"]!.AsArray())!;

        var baseUrl = new Uri((string)Kustomize.Env(app, "OPENAI_BASE_URL")!["value"]!);
        Assert.True(baseUrl.IsLoopback, $"{baseUrl} is not the pod's loopback");
        Assert.Equal(GatewayPort, baseUrl.Port);
        Assert.Equal("/v1", baseUrl.AbsolutePath);
        Assert.Null(Kustomize.Env(app, "OPENAI_API_KEY")!["valueFrom"]); // the real key stays with RightSize
        Assert.DoesNotContain(objects, o => (string?)o["kind"] is "Service" or "HorizontalPodAutoscaler");
    }

    [Fact]
    public async Task Render_Sidecar_GatewayIsANativeSidecarStartedBeforeTheAppAndStoppedAfterIt()
    {
        var objects = await Kustomize.RenderAsync("sidecar");
        var pod = Kustomize.PodSpec(Kustomize.OneOf(objects, "Deployment"));

        // An init container with restartPolicy Always runs for the pod's lifetime; the kubelet starts
        // the app only once the gateway's startup probe has passed, and stops the gateway after the app.
        var gateway = Assert.Single(pod["initContainers"]?.AsArray() ?? [], c => (string?)c!["name"] == GatewayContainer)!;
        Assert.Equal("Always", (string?)gateway["restartPolicy"]);
        Assert.NotNull(gateway["startupProbe"]?["httpGet"]);
        Assert.DoesNotContain(pod["containers"]!.AsArray(), c => (string?)c!["name"] == GatewayContainer);
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
