using System.Globalization;
using System.Net;
using System.Text;
using RightSize.Deployment.Tests.Infrastructure;
using RightSize.Gateway;

namespace RightSize.Deployment.Tests.Docker;

/// <summary>
/// <c>docker run -p 8080:8080 rightsize/gateway --demo</c> without Docker: the published gateway with
/// the Dockerfile's <c>ENV</c> (its port replaced by a free one), an empty config directory, and
/// <c>--demo</c>. A published container port reaches only a listener on every interface, so the demo
/// must listen where <c>ASPNETCORE_HTTP_PORTS</c> says rather than on its loopback default.
/// </summary>
public sealed class DemoInImageTests(PublishedGateway published)
{
    [Fact]
    public async Task Demo_ImageEnvironment_ListensOnEveryInterfaceAtTheImagePortAndServes()
    {
        await published.GetAsync();
        using var config = new TempDirectory("rightsize-etc-");
        using var temp = new TempDirectory("rightsize-tmp-");
        var environment = ImageEnvironment.Read();
        Assert.Equal("8080", environment["ASPNETCORE_HTTP_PORTS"]);
        environment["RIGHTSIZE_CONFIG_DIR"] = config.Path;
        environment["TMPDIR"] = temp.Path;

        var started = await FreePort.StartAsync(1, free =>
        {
            environment["ASPNETCORE_HTTP_PORTS"] = free[0].ToString(CultureInfo.InvariantCulture);
            return GatewayProcess.StartAsync(published.EntryAssembly, environment, [GatewayApp.DemoFlag]);
        });
        await using var gateway = started.Started;
        var port = started.Ports[0].ToString(CultureInfo.InvariantCulture);

        var address = Assert.Single(gateway.ListeningAddresses);
        Assert.Equal(port, address.Port.ToString(CultureInfo.InvariantCulture));
        var host = IPAddress.Parse(address.Host.Trim('[', ']'));
        Assert.True(host.Equals(IPAddress.IPv6Any) || host.Equals(IPAddress.Any), $"the demo listens on {address}, which a published container port cannot reach:\n{gateway.Log}");

        var check = await Healthcheck.RunAsync(new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port });
        Assert.True(check.ExitCode == 0, check.Describe() + "\n" + gateway.Log);
        using var body = new StringContent("""{"model":"auto","messages":[{"role":"user","content":"Translate good morning into Spanish."}]}""", Encoding.UTF8, "application/json");
        using var response = await gateway.Http.PostAsync(new Uri(gateway.BaseAddress, "v1/chat/completions"), body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + "\n" + gateway.Log);
        Assert.Equal("auto", string.Join(",", response.Headers.GetValues("x-rightsize-route")));
    }
}
