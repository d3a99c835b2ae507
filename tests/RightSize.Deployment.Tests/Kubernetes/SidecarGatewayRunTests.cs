using System.Globalization;
using System.Net;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Kubernetes;

/// <summary>
/// The published gateway with the sidecar overlay's rendered listening settings (only the port moved
/// to a free one): it listens on loopback alone, and the exec probes' commands, run with the
/// container's environment, pass against it.
/// </summary>
public sealed class SidecarGatewayRunTests(PublishedGateway published)
{
    [Fact]
    public async Task SidecarGateway_RenderedListenSettings_LoopbackOnlyAndExecProbesPass()
    {
        var gateway = Kustomize.Container(Kustomize.OneOf(await Kustomize.RenderAsync("sidecar"), "Deployment"), "rightsize");
        var environment = Kustomize.LiteralEnvironment(gateway);
        var rendered = environment["ASPNETCORE_URLS"];

        var started = await FreePort.StartAsync(1, free =>
        {
            environment["ASPNETCORE_URLS"] = new UriBuilder(rendered) { Port = free[0] }.Uri.GetLeftPart(UriPartial.Authority);
            var listen = new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = environment["ASPNETCORE_URLS"],
                ["ASPNETCORE_HTTP_PORTS"] = environment["ASPNETCORE_HTTP_PORTS"],
            };
            return ContainerRun.StartAsync(published, settings: listen);
        });
        await using var run = started.Started;
        var port = started.Ports[0];

        var address = Assert.Single(run.Gateway.ListeningAddresses);
        Assert.Equal(IPAddress.Loopback, IPAddress.Parse(address.Host));
        Assert.Equal(port, address.Port);
        Assert.DoesNotContain("Overriding", run.Gateway.Log, StringComparison.Ordinal);
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var command = SidecarOverlayTests.ExecCommand(gateway, probe);
            Assert.Equal(Healthcheck.InstalledPath(), command[0]);
            var result = await Healthcheck.RunAsync(environment, command[1..]);
            Assert.True(result.ExitCode == 0, $"{probe} ({string.Join(' ', command)}) on port {port.ToString(CultureInfo.InvariantCulture)}: {result.Describe()}\n{run.Gateway.Log}");
        }
    }
}
