namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// deploy/docker/healthcheck.sh, which the image installs (its Docker HEALTHCHECK) and the sidecar
/// overlay's exec probes run, run here as the container would: with only the given environment.
/// </summary>
public static class Healthcheck
{
    public static string Script => Repository.PathOf("deploy", "docker", "healthcheck.sh");

    /// <summary>Where the Dockerfile installs the script (the destination of its <c>COPY deploy/docker/healthcheck.sh</c>).</summary>
    public static string InstalledPath()
    {
        var copy = Assert.Single(File.ReadAllLines(Repository.PathOf("deploy", "docker", "Dockerfile")), l => l.StartsWith("COPY deploy/docker/healthcheck.sh ", StringComparison.Ordinal));
        return copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
    }

    public static Task<Command.Result> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Command.RunAsync(
            "env",
            ["-i", "PATH=/usr/local/bin:/usr/bin:/bin", .. environment.Select(e => $"{e.Key}={e.Value}"), "bash", Script, .. arguments],
            TimeSpan.FromSeconds(30));
}
