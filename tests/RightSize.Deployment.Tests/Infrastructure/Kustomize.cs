using System.Text.Json.Nodes;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>Renders <c>deploy/k8s</c> with <c>kubectl kustomize</c> (Debian's kubernetes-client) and reads the objects.</summary>
public static class Kustomize
{
    /// <summary>The rendered objects of an overlay of deploy/k8s/overlays; skips the test when kubectl is missing outside CI.</summary>
    public static Task<IReadOnlyList<JsonNode>> RenderAsync(string overlay) =>
        RenderDirectoryAsync(Repository.PathOf("deploy", "k8s", "overlays", overlay));

    /// <summary>The rendered objects of any kustomization directory; skips the test when kubectl is missing outside CI.</summary>
    public static async Task<IReadOnlyList<JsonNode>> RenderDirectoryAsync(string directory)
    {
        var kubectl = Command.Which("kubectl");
        if (kubectl is null)
        {
            var ci = Environment.GetEnvironmentVariable("CI");
            Assert.False(!string.IsNullOrEmpty(ci), "kubectl is missing on CI: .ci/run must install the Debian package kubernetes-client.");
            Assert.Skip("kubectl is not installed (apt-get install kubernetes-client); the manifests were not rendered.");
        }

        var result = await Command.RunAsync(kubectl, ["kustomize", directory], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {directory} failed: " + result.Describe());
        return MiniYaml.ParseDocuments(result.Output);
    }

    public static JsonNode OneOf(IReadOnlyList<JsonNode> objects, string kind) =>
        Assert.Single(objects, o => (string?)o["kind"] == kind);

    public static JsonNode PodSpec(JsonNode deployment) => deployment["spec"]!["template"]!["spec"]!;

    /// <summary>A container by name, among the pod's containers and init containers (where a native sidecar runs).</summary>
    public static JsonNode Container(JsonNode deployment, string name) =>
        Assert.Single(AllContainers(deployment), c => (string?)c["name"] == name);

    /// <summary>The pod's containers followed by its init containers.</summary>
    public static IReadOnlyList<JsonNode> AllContainers(JsonNode deployment)
    {
        var pod = PodSpec(deployment);
        return [.. pod["containers"]!.AsArray().Select(c => c!), .. (pod["initContainers"]?.AsArray() ?? []).Select(c => c!)];
    }

    public static JsonNode? Env(JsonNode container, string name) =>
        container["env"]?.AsArray().SingleOrDefault(e => (string?)e!["name"] == name);

    /// <summary>A container's literal environment (entries with <c>value</c>, not <c>valueFrom</c>).</summary>
    public static Dictionary<string, string> LiteralEnvironment(JsonNode container) =>
        container["env"]!.AsArray()
            .Where(e => e!["value"] is not null)
            .ToDictionary(e => (string)e!["name"]!, e => e!["value"]!.ToString(), StringComparer.Ordinal);
}
