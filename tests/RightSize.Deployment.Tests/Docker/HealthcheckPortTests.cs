using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Docker;

/// <summary>
/// Which port deploy/docker/healthcheck.sh probes, from the variables Kestrel listens by: a URL
/// without a port means 80, as it does for Kestrel, and https:// entries, which the script cannot
/// speak, are skipped.
/// </summary>
public sealed class HealthcheckPortTests
{
    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1", "80")]
    [InlineData("ASPNETCORE_URLS", "http://+:5000", "5000")]
    [InlineData("ASPNETCORE_URLS", "http://[::1]:9000/", "9000")]
    [InlineData("ASPNETCORE_URLS", "http://[::1]", "80")]
    [InlineData("ASPNETCORE_URLS", "https://+:8443;http://+:8080", "8080")]
    [InlineData("ASPNETCORE_URLS", "HTTP://*:7000", "7000")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "9001;9002", "9001")]
    [InlineData("RIGHTSIZE_HEALTHCHECK_PORT", "1234", "1234")]
    public async Task PrintPort_FromListeningVariable_ThePortKestrelListensOn(string variable, string value, string port)
    {
        var result = await Healthcheck.RunAsync(new Dictionary<string, string> { [variable] = value }, "--print-port");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(port, result.Output.Trim());
    }

    [Fact]
    public async Task PrintPort_OnlyHttpsUrls_FailsAskingForAPlainHttpPort()
    {
        var result = await Healthcheck.RunAsync(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "https://+:8443" }, "--print-port");

        // Probing 8443 with plain HTTP would fail for a reason nobody could see in the probe's output.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("RIGHTSIZE_HEALTHCHECK_PORT", result.Describe(), StringComparison.Ordinal);
    }
}
