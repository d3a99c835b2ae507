using System.Globalization;
using System.Text.Json.Nodes;
using RightSize.Deployment.Tests.Infrastructure;
using RightSize.Gateway.Hosting;

namespace RightSize.Deployment.Tests.Kubernetes;

/// <summary>Both overlays render, and the rendered objects have what running RightSize safely needs (overlay-specific checks: SidecarOverlayTests, StandaloneOverlayTests).</summary>
public sealed class KustomizeRenderTests
{
    private const string GatewayContainer = "rightsize";

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_EveryContainerNonRootReadOnlyNoCapabilitiesWithResources(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.OneOf(objects, "Deployment");
        foreach (var container in Kustomize.AllContainers(deployment))
        {
            var name = (string)container!["name"]!;
            var security = container["securityContext"] ?? throw new Xunit.Sdk.XunitException($"{overlay}/{name}: no securityContext");
            Assert.True((bool)security["runAsNonRoot"]!, $"{overlay}/{name}: runAsNonRoot");
            Assert.Equal("RuntimeDefault", (string?)security["seccompProfile"]?["type"]);
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
    public async Task Render_Overlay_GatewayUserOnItsOwnContainerNothingForcedOnThePod(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var gateway = Kustomize.Container(deployment, GatewayContainer);
        var imageUser = int.Parse(Assert.Single(File.ReadAllLines(Repository.PathOf("deploy", "docker", "Dockerfile")), l => l.StartsWith("USER ", StringComparison.Ordinal))[5..], CultureInfo.InvariantCulture);

        // The image's numeric user, stated on the gateway's container so runAsNonRoot can verify it.
        Assert.Equal(imageUser, (int)gateway["securityContext"]!["runAsUser"]!);
        Assert.Equal(imageUser, (int)gateway["securityContext"]!["runAsGroup"]!);

        // In the sidecar pod these would force the application's UID and re-own its volumes.
        var pod = Kustomize.PodSpec(deployment)["securityContext"];
        foreach (var forced in new[] { "runAsUser", "runAsGroup", "fsGroup" })
        {
            Assert.True(pod?[forced] is null, $"{overlay}: the pod-level securityContext sets {forced}");
        }
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_EveryContainerWritesTmpOnAnEmptyDirOfItsOwn(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var volumes = Kustomize.PodSpec(deployment)["volumes"]!.AsArray();
        var tmpVolumes = new List<string>();
        foreach (var container in Kustomize.AllContainers(deployment))
        {
            var mount = Assert.Single(container["volumeMounts"]?.AsArray() ?? [], m => (string?)m!["mountPath"] == "/tmp")!;
            var volume = Assert.Single(volumes, v => (string?)v!["name"] == (string?)mount["name"])!;
            Assert.NotNull(volume["emptyDir"]);
            tmpVolumes.Add((string)mount["name"]!);
        }

        // A shared /tmp would hand the application the gateway's .NET diagnostics socket: with the same UID, a memory dump holding the key.
        Assert.Equal(tmpVolumes.Count, tmpVolumes.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_ConfigFromMountedConfigMapDirectory(string overlay)
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
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_ProviderKeyComesFromSecretAndNamedByApiKeyEnv(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var gateway = Kustomize.Container(Kustomize.OneOf(objects, "Deployment"), GatewayContainer);
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "Secret");

        // The ConfigMap names the variable; the pod's environment declares no upstream of its own,
        // which would break a ConfigMap whose upstreams have other names.
        var settings = JsonNode.Parse((string)Kustomize.OneOf(objects, "ConfigMap")["data"]!["appsettings.json"]!)!;
        var keyVariable = (string)settings["RightSize"]!["Upstreams"]!["openai"]!["ApiKeyEnv"]!;
        Assert.DoesNotContain(gateway["env"]!.AsArray(), e => ((string)e!["name"]!).StartsWith("RightSize__Upstreams__", StringComparison.OrdinalIgnoreCase));
        var key = Kustomize.Env(gateway, keyVariable)!;
        Assert.Null(key["value"]);
        Assert.Equal("rightsize-provider-keys", (string?)key["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)key["valueFrom"]!["secretKeyRef"]!["key"]));
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_GracePeriodExceedsPreStopSleepAndShutdownTimeout(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var gateway = Kustomize.Container(deployment, GatewayContainer);

        // The kubelet kills the container once the grace period is over: it must outlast the preStop
        // sleep plus the gateway's own drain, with a margin for the process to exit.
        var grace = (int)Kustomize.PodSpec(deployment)["terminationGracePeriodSeconds"]!;
        var preStop = PreStopSeconds(gateway);
        var shutdown = ShutdownTimeout(gateway);
        Assert.True(grace > preStop + shutdown.TotalSeconds, $"terminationGracePeriodSeconds {grace} <= preStop {preStop} s + shutdown timeout {shutdown}");

        // A replica a failed probe kills has stopped answering: it is not drained for the whole
        // budget (the kubelet uses the probe's own grace period when it has one, the pod's otherwise).
        foreach (var probe in new[] { "livenessProbe", "startupProbe" })
        {
            var probeGrace = (int?)gateway[probe]!["terminationGracePeriodSeconds"] ?? grace;
            Assert.True(probeGrace <= 60, $"{overlay}: a failed {probe} leaves a stuck replica up to {probeGrace} s before it is killed");
        }
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_GatewayImageIsAVersionedPlaceholderNeverLatest(string overlay)
    {
        var gateway = Kustomize.Container(Kustomize.OneOf(await Kustomize.RenderAsync(overlay), "Deployment"), GatewayContainer);
        var image = (string)gateway["image"]!;

        // A registry host (a dot in the first segment): a bare "rightsize/gateway" is docker.io's namespace.
        var registry = image.Split('/')[0];
        Assert.True(registry.Contains('.', StringComparison.Ordinal) || registry.Contains(':', StringComparison.Ordinal), $"{overlay}: {image} names no registry host, so it resolves to docker.io");

        // Pinned by the overlay's images: entry: a version tag or a digest, never latest or none.
        var name = image.Split('@')[0];
        var tag = name.LastIndexOf(':') > name.LastIndexOf('/') ? name[(name.LastIndexOf(':') + 1)..] : null;
        Assert.True(image.Contains("@sha256:", StringComparison.Ordinal) || (tag is not null && tag != "latest"), $"{overlay}: {image} has no version tag or digest");
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("standalone")]
    public async Task Render_Overlay_RuntimeSeesABoundedCoreCount(string overlay)
    {
        var gateway = Kustomize.Container(Kustomize.OneOf(await Kustomize.RenderAsync(overlay), "Deployment"), GatewayContainer);

        // Without a CPU limit .NET sees every core of the node, and the server GC grows a heap per core:
        // RSS then depends on the node the pod lands on (docs/deployment.md, "Memory").
        var count = (string?)Kustomize.Env(gateway, "DOTNET_PROCESSOR_COUNT")?["value"];
        Assert.True(int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var cores) && cores is > 0 and <= 4, $"{overlay}: DOTNET_PROCESSOR_COUNT is '{count}'");
    }

    /// <summary>The gateway's preStop sleep in seconds; 0 without one.</summary>
    public static int PreStopSeconds(JsonNode gateway) => (int?)gateway["lifecycle"]?["preStop"]?["sleep"]?["seconds"] ?? 0;

    /// <summary>The gateway's <c>RightSize__Gateway__ShutdownTimeout</c> (the variable the gateway reads into <c>HostOptions.ShutdownTimeout</c>).</summary>
    public static TimeSpan ShutdownTimeout(JsonNode gateway) =>
        TimeSpan.Parse((string)Kustomize.Env(gateway, HostingDefaults.ShutdownTimeoutKey.Replace(":", "__", StringComparison.Ordinal))!["value"]!, CultureInfo.InvariantCulture);
}
