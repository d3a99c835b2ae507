using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Kubernetes;

/// <summary>
/// The sidecar overlay: the gateway is a native sidecar listening on the pod's loopback only (it does
/// not authenticate clients and holds the provider key), probed by exec, and the application calls it
/// on 127.0.0.1.
/// </summary>
public sealed class SidecarOverlayTests
{
    private const string GatewayContainer = "rightsize";
    private static readonly string[] Probes = ["startupProbe", "livenessProbe", "readinessProbe"];

    [Fact]
    public async Task Render_Sidecar_GatewayListensOnLoopbackOnlyAndExposesNoPort()
    {
        var gateway = Kustomize.Container(Kustomize.OneOf(await Kustomize.RenderAsync("sidecar"), "Deployment"), GatewayContainer);
        var urls = (string)Kustomize.Env(gateway, "ASPNETCORE_URLS")!["value"]!;

        var url = new Uri(Assert.Single(urls.Split(';', StringSplitOptions.RemoveEmptyEntries)));
        Assert.True(IPAddress.TryParse(url.Host, out var host) && IPAddress.IsLoopback(host), $"ASPNETCORE_URLS {urls} is not a loopback IP");
        Assert.Equal(8080, url.Port);

        // Cleared, not left to the image's 8080: ASPNETCORE_URLS would win anyway, with a warning at every start.
        Assert.Equal(string.Empty, (string?)Kustomize.Env(gateway, "ASPNETCORE_HTTP_PORTS")!["value"]);
        Assert.Null(gateway["ports"]);
    }

    [Fact]
    public async Task Render_Sidecar_ProbesExecTheImagesHealthCheckOnHealthAndReadiness()
    {
        var gateway = Kustomize.Container(Kustomize.OneOf(await Kustomize.RenderAsync("sidecar"), "Deployment"), GatewayContainer);
        var installed = Healthcheck.InstalledPath();

        // httpGet probes connect to the pod IP, where nothing listens.
        foreach (var probe in Probes) Assert.Null(gateway[probe]!["httpGet"]);
        Assert.Equal(new[] { installed, "/healthz" }, ExecCommand(gateway, "startupProbe"));
        Assert.Equal(new[] { installed, "/healthz" }, ExecCommand(gateway, "livenessProbe"));
        Assert.Equal(new[] { installed, "/readyz" }, ExecCommand(gateway, "readinessProbe"));
    }

    [Fact]
    public async Task Render_Sidecar_AppContainerPointsAtTheGatewaysLoopbackAddress()
    {
        var objects = await Kustomize.RenderAsync("sidecar");
        var deployment = Kustomize.OneOf(objects, "Deployment");
        var app = Assert.Single(Kustomize.PodSpec(deployment)["containers"]!.AsArray())!;
        var gatewayUrl = new Uri((string)Kustomize.Env(Kustomize.Container(deployment, GatewayContainer), "ASPNETCORE_URLS")!["value"]!);

        var baseUrl = new Uri((string)Kustomize.Env(app, "OPENAI_BASE_URL")!["value"]!);
        Assert.Equal(gatewayUrl.Host, baseUrl.Host);
        Assert.Equal(gatewayUrl.Port, baseUrl.Port);
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
        Assert.NotNull(gateway["startupProbe"]?["exec"]);
        Assert.DoesNotContain(pod["containers"]!.AsArray(), c => (string?)c!["name"] == GatewayContainer);
    }

    [Fact]
    public async Task Render_SidecarWithoutNativeSidecarPatch_GatewayIsAnOrdinaryContainerStillOnLoopback()
    {
        // docs/deployment.md's fallback for clusters older than 1.29: the overlay with native-sidecar.yaml left out.
        var overlay = Repository.PathOf("deploy", "k8s", "overlays", "sidecar");
        using var copy = new TempDirectory("rightsize-sidecar-fallback-");
        foreach (var file in Directory.EnumerateFiles(overlay, "*.yaml").Where(f => Path.GetFileName(f) is not ("kustomization.yaml" or "native-sidecar.yaml")))
        {
            File.Copy(file, copy.Combine(Path.GetFileName(file)));
        }

        var kustomization = await File.ReadAllTextAsync(Path.Combine(overlay, "kustomization.yaml"));
        var patch = Regex.Match(kustomization, @"- target:\n(?:    .*\n)+  path: native-sidecar\.yaml\n");
        Assert.True(patch.Success, "no native-sidecar.yaml entry in the sidecar kustomization");
        var basePath = Path.GetRelativePath(copy.Path, Repository.PathOf("deploy", "k8s", "base")).Replace('\\', '/');
        await File.WriteAllTextAsync(copy.Combine("kustomization.yaml"), kustomization.Replace(patch.Value, string.Empty, StringComparison.Ordinal).Replace("- ../../base", "- " + basePath, StringComparison.Ordinal));

        var pod = Kustomize.PodSpec(Kustomize.OneOf(await Kustomize.RenderDirectoryAsync(copy.Path), "Deployment"));

        Assert.Null(pod["initContainers"]);
        var gateway = Assert.Single(pod["containers"]!.AsArray(), c => (string?)c!["name"] == GatewayContainer)!;
        Assert.Null(gateway["restartPolicy"]);
        Assert.Equal("http://127.0.0.1:8080", (string?)Kustomize.Env(gateway, "ASPNETCORE_URLS")!["value"]);
        Assert.Equal(new[] { Healthcheck.InstalledPath(), "/readyz" }, ExecCommand(gateway, "readinessProbe"));
        Assert.Contains(pod["containers"]!.AsArray(), c => (string?)c!["name"] == "app");
    }

    [Fact]
    public async Task Render_Sidecar_GatewayHasNoPreStopSleepToEatThePodsGracePeriod()
    {
        var deployment = Kustomize.OneOf(await Kustomize.RenderAsync("sidecar"), "Deployment");
        var gateway = Kustomize.Container(deployment, GatewayContainer);

        // No Service sends it traffic (the application calls 127.0.0.1), so a sleep would only spend
        // the grace period the application shares with it.
        Assert.Equal(0, KustomizeRenderTests.PreStopSeconds(gateway));
        Assert.True((int)Kustomize.PodSpec(deployment)["terminationGracePeriodSeconds"]! > KustomizeRenderTests.ShutdownTimeout(gateway).TotalSeconds);
    }

    /// <summary>A probe's exec command.</summary>
    public static string[] ExecCommand(JsonNode container, string probe) =>
        [.. (container[probe]?["exec"]?["command"]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"{probe} has no exec command")).Select(c => (string)c!)];
}
