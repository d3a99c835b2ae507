using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Hosting;

/// <summary>
/// A mistyped shutdown setting in the container's environment stops the published gateway the way
/// invalid routing configuration does: the error listed under "RightSize cannot start:", exit code 1.
/// </summary>
public sealed class InvalidShutdownSettingTests(PublishedGateway published)
{
    [Fact]
    public async Task PublishedGateway_ShutdownTimeoutInPlainSeconds_ExitsOneListingTheSetting()
    {
        await published.GetAsync();
        using var config = new TempDirectory("rightsize-etc-");
        using var temp = new TempDirectory("rightsize-tmp-");
        ContainerEnvironment.WriteConfigMap(config.Path);
        var environment = ContainerEnvironment.For(config.Path, temp.Path);
        environment["RightSize__Gateway__ShutdownTimeout"] = "30"; // seconds, where hh:mm:ss is expected

        var result = await Command.RunAsync(
            "env",
            [.. environment.Select(e => $"{e.Key}={e.Value}"), GatewayProcess.DotnetHost(), published.EntryAssembly],
            TimeSpan.FromSeconds(60),
            workingDirectory: Path.GetDirectoryName(published.EntryAssembly));

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains("RightSize cannot start:", result.Error, StringComparison.Ordinal);
        Assert.Contains("RightSize:Gateway:ShutdownTimeout must be a duration such as 00:00:30", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output + result.Error, StringComparison.Ordinal);
    }
}
