using System.Globalization;
using System.Net;
using System.Text;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Hosting;

/// <summary>
/// What docs/deployment.md says about protocols and browsers, against the published gateway: the
/// default listener speaks HTTP/1.1 only, a second Kestrel endpoint with <c>Protocols=Http2</c>
/// serves h2c prior-knowledge clients (the documented variables, ports moved to free ones), and
/// there is no CORS support (a preflight is refused, no Access-Control headers).
/// </summary>
public sealed class ProtocolEndpointsTests(PublishedGateway published)
{
    [Fact]
    public async Task KestrelEndpoints_DocumentedH2cEndpoint_ServesPriorKnowledgeHttp2WhileTheApiEndpointDoesNot()
    {
        var started = await FreePort.StartAsync(2, free => ContainerRun.StartAsync(published, settings: new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = string.Empty,
            ["ASPNETCORE_HTTP_PORTS"] = string.Empty,
            ["Kestrel__Endpoints__api__Url"] = $"http://127.0.0.1:{free[0].ToString(CultureInfo.InvariantCulture)}",
            ["Kestrel__Endpoints__h2c__Url"] = $"http://127.0.0.1:{free[1].ToString(CultureInfo.InvariantCulture)}",
            ["Kestrel__Endpoints__h2c__Protocols"] = "Http2",
        }));
        await using var run = started.Started;
        var (api, h2c) = (started.Ports[0], started.Ports[1]);

        var addresses = await run.Gateway.WaitForListeningAddressesAsync(2); // the second line may not have been read yet
        Assert.Equal(new[] { api, h2c }.Order(), addresses.Select(a => a.Port).Order());
        Assert.DoesNotContain("Overriding", run.Gateway.Log, StringComparison.Ordinal);
        using var http = new HttpClient();
        using (var answer = await http.SendAsync(PriorKnowledgeChat(h2c)))
        {
            Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync() + "\n" + run.Gateway.Log);
            Assert.Equal(HttpVersion.Version20, answer.Version);
            Assert.Equal("auto", string.Join(",", answer.Headers.GetValues("x-rightsize-route")));
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(PriorKnowledgeChat(api)));
        var probe = await Healthcheck.RunAsync(new Dictionary<string, string> { ["RIGHTSIZE_HEALTHCHECK_PORT"] = api.ToString(CultureInfo.InvariantCulture) }, "/readyz");
        Assert.True(probe.ExitCode == 0, probe.Describe());
    }

    [Fact]
    public async Task Cors_BrowserPreflight_RefusedWithoutAccessControlHeaders()
    {
        await using var run = await ContainerRun.StartAsync(published);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(run.Gateway.BaseAddress, "v1/chat/completions"));
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");

        using var response = await run.Gateway.Http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    private static HttpRequestMessage PriorKnowledgeChat(int port) =>
        new(HttpMethod.Post, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/v1/chat/completions"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact, // h2c with prior knowledge, as a mesh proxy with appProtocol h2c sends it
            Content = new StringContent("""{"model":"auto","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
        };
}
