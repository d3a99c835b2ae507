using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using RightSize.Gateway;

namespace RightSize.Gateway.Tests.Hosting;

/// <summary>
/// <c>--demo</c> listens on <see cref="GatewayApp.DefaultDemoUrl"/> (loopback) only when nothing says
/// where to listen; any setting Kestrel honours wins, so the image's ASPNETCORE_HTTP_PORTS does.
/// </summary>
public sealed class DemoListenAddressTests
{
    private static readonly string[] ListenVariables =
    [
        "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS",
    ];

    [Theory]
    [InlineData("urls", "http://127.0.0.1:9000")]
    [InlineData("http_ports", "8080")]
    [InlineData("HTTP_PORTS", "8080")] // ASPNETCORE_HTTP_PORTS, as the host reads it (prefix removed)
    [InlineData("https_ports", "8443")]
    [InlineData("Kestrel:Endpoints:h2c:Url", "http://127.0.0.1:8081")]
    public void ListenAddressConfigured_ASettingKestrelHonours_True(string key, string value)
    {
        Assert.True(GatewayApp.ListenAddressConfigured(Configuration((key, value))));
    }

    [Theory]
    [InlineData("RightSize:Routes:auto:Threshold", "0.7")]
    [InlineData("http_ports", "")] // the sidecar overlay clears the image's ASPNETCORE_HTTP_PORTS this way
    [InlineData("urls", " ")]
    [InlineData("Kestrel:Limits:MaxConcurrentConnections", "100")]
    public void ListenAddressConfigured_NothingSaysWhereToListen_False(string key, string value)
    {
        Assert.False(GatewayApp.ListenAddressConfigured(Configuration((key, value))));
    }

    [Fact]
    public async Task CreateAsync_DemoWithoutListenSettings_UsesTheLoopbackDefault()
    {
        Assert.SkipWhen(ListenVariables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))), "The test process's environment sets a listening address.");
        await using var gateway = await GatewayApp.CreateAsync([GatewayApp.DemoFlag]);

        Assert.Equal(GatewayApp.DefaultDemoUrl, gateway.App.Configuration[WebHostDefaults.ServerUrlsKey]);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(new Uri(GatewayApp.DefaultDemoUrl).Host)));
    }

    [Fact]
    public async Task CreateAsync_DemoWithHttpPorts_ListensOnThosePortsOnEveryInterface()
    {
        await using var gateway = await GatewayApp.CreateAsync([GatewayApp.DemoFlag, "--http_ports", "0"]);
        Assert.True(string.IsNullOrEmpty(gateway.App.Configuration[WebHostDefaults.ServerUrlsKey]), "the demo replaced http_ports with its own URL");

        await gateway.App.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var address = new Uri(Assert.Single(gateway.App.Urls));
            var host = IPAddress.Parse(address.Host.Trim('[', ']'));
            Assert.True(host.Equals(IPAddress.IPv6Any) || host.Equals(IPAddress.Any), $"listening on {address}");
            using var http = new HttpClient();
            var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{address.Port}/readyz"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await gateway.App.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
