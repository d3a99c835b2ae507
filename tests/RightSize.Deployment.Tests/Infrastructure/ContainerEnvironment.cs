using System.Text.Json.Nodes;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// The environment the manifests give the gateway container (read from deploy/k8s/base/deployment.yaml)
/// and its mounted appsettings.json (deploy/k8s/base/appsettings.json), adapted to a test machine:
/// the config directory and /tmp become temp directories, the port an ephemeral loopback one,
/// the Secret a test key, and the upstreams local simulators.
/// </summary>
public static class ContainerEnvironment
{
    public const string ProviderKey = "sk-test-provider-key-from-secret";

    public static JsonNode GatewayContainer()
    {
        var deployment = Assert.Single(MiniYaml.ParseDocuments(File.ReadAllText(Repository.PathOf("deploy", "k8s", "base", "deployment.yaml"))));
        return Kustomize.Container(deployment, "rightsize");
    }

    /// <summary>The ConfigMap's appsettings.json, copied into <paramref name="configDirectory"/>.</summary>
    public static void WriteConfigMap(string configDirectory) =>
        File.Copy(Repository.PathOf("deploy", "k8s", "base", "appsettings.json"), Path.Combine(configDirectory, "appsettings.json"));

    /// <param name="withModel">Keep the ConfigMap's ModelPath (the model baked into the output); otherwise run without a classifier, so routes use their DefaultTier.</param>
    public static Dictionary<string, string> For(string configDirectory, string tempDirectory, IReadOnlyDictionary<string, string>? overrides = null, bool withModel = false)
    {
        var container = GatewayContainer();
        var environment = Kustomize.LiteralEnvironment(container);
        foreach (var entry in container["env"]!.AsArray().Where(e => e!["valueFrom"]?["secretKeyRef"] is not null))
        {
            environment[(string)entry!["name"]!] = ProviderKey;
        }

        environment.Remove("ASPNETCORE_HTTP_PORTS");
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        environment["RIGHTSIZE_CONFIG_DIR"] = configDirectory;
        environment["TMPDIR"] = tempDirectory;
        if (!withModel) environment["RightSize__Classifier__ModelPath"] = string.Empty;

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }
}
