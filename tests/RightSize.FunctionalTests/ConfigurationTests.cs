using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Gateway;

namespace RightSize.FunctionalTests;

/// <summary>Start-up validation and live reload of the operator's appsettings file.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Start_BrokenConfiguration_FailsListingEveryError()
    {
        await using var upstreams = await TestUpstreams.StartAsync();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHarness.StartAsync(
            settings =>
            {
                settings["RightSize:Tiers:mid:Upstream"] = "nowhere";
                settings["RightSize:Routes:auto:Threshold"] = "1.5";
                settings["RightSize:Routes:support:MinTier"] = "huge";
                settings["RightSize:Upstreams:up-small:BaseUrl"] = "not a url";
            },
            upstreams));

        Assert.Contains("RightSize:Tiers:mid:Upstream", failure.Message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Routes:auto:Threshold", failure.Message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Routes:support:MinTier", failure.Message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Upstreams:up-small:BaseUrl", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("/metrics?x=1")]
    [InlineData("//")]
    [InlineData("/a//b")]
    [InlineData("/{x}")]
    [InlineData("/readyz")]
    [InlineData("/Healthz")]
    [InlineData("/v1/models")]
    [InlineData("/rightsize/stats")]
    [InlineData("/routes/auto/v1/chat/completions")]
    public async Task Start_PrometheusPathNotAPath_FailsNamingTheKey(string path)
    {
        await using var upstreams = await TestUpstreams.StartAsync();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHarness.StartAsync(
            settings => settings["RightSize:Telemetry:PrometheusPath"] = path,
            upstreams));

        Assert.Contains("RightSize:Telemetry:PrometheusPath", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Prometheus", "yes")]
    [InlineData("Tracing", "on")]
    public async Task Start_TelemetrySwitchNotABoolean_FailsNamingTheKey(string name, string value)
    {
        await using var upstreams = await TestUpstreams.StartAsync();

        // On the command line, as an operator would: the switches are read while the services are
        // registered, before the harness's own settings are added.
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHarness.StartAsync(
            configure: null, upstreams, $"--RightSize:Telemetry:{name}={value}"));

        Assert.Contains("RightSize:Telemetry:" + name, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "RightSize": { "Routes": { "auto": """, "is not valid JSON")]
    [InlineData("""{ "RightSize": { "Routes": { "auto": { "Threshold": 0.5 }, "Auto": { "Threshold": 0.6 } } } }""", "duplicate key 'RightSize:Routes:Auto:Threshold'")]
    public async Task Start_ConfigDirectoryFileNotValidJson_FailsNamingTheFileAndTheError(string json, string error)
    {
        var directory = Directory.CreateTempSubdirectory("rightsize-config-");
        try
        {
            var file = Path.Combine(directory.FullName, "appsettings.json");
            await File.WriteAllTextAsync(file, json);

            var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--config-dir", directory.FullName]));

            var message = Assert.Single(failure.Failures);
            Assert.Contains(file, message, StringComparison.Ordinal);
            Assert.Contains(error, message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Start_KestrelLimitsInConfiguration_TheServerKeepsThem()
    {
        await using var harness = await GatewayHarness.StartAsync(settings => settings["Kestrel:Limits:MaxRequestHeaderCount"] = "8");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        for (var i = 0; i < 8; i++) request.Headers.Add($"x-extra-{i}", "1");

        using var tooMany = await harness.Http.SendAsync(request, TestContext.Current.CancellationToken);
        using var fewer = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fewer.StatusCode);
    }

    [Fact]
    public async Task Start_KestrelLimitKestrelRefuses_FailsNamingTheKey()
    {
        await using var upstreams = await TestUpstreams.StartAsync();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHarness.StartAsync(
            settings => settings["Kestrel:Limits:MaxConcurrentConnections"] = "-1", upstreams));

        Assert.Equal("Kestrel:Limits:MaxConcurrentConnections: Value must be null or a positive number.", Assert.Single(failure.Failures));
    }

    [Fact]
    public async Task Start_ConfigDirectoryFileUnreadable_FailsNamingTheFile()
    {
        // A ConfigMap mounted with a defaultMode the container's user cannot read. Tests may run as
        // root, which reads any file, so a directory stands in for it: reading it fails the same way.
        var directory = Directory.CreateTempSubdirectory("rightsize-config-");
        try
        {
            var file = Path.Combine(directory.FullName, "appsettings.json");
            Directory.CreateDirectory(file);

            var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--config-dir", directory.FullName]));

            var message = Assert.Single(failure.Failures);
            Assert.StartsWith($"The configuration file '{file}' cannot be read:", message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Main_ConfigDirectoryFileNotValidJson_ExitsWithOne()
    {
        var directory = Directory.CreateTempSubdirectory("rightsize-config-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "appsettings.json"), """{ "RightSize": { "Routes": """);

            var exitCode = await Program.Main(["--urls", "http://127.0.0.1:0", "--config-dir", directory.FullName]).WaitAsync(TestContext.Current.CancellationToken);

            Assert.Equal(1, exitCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Main_ContentRootAppSettingsNotValidJson_ExitsWithOneNamingTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("rightsize-content-");
        var standardError = Console.Error;
        try
        {
            var file = Path.Combine(directory.FullName, "appsettings.json");
            await File.WriteAllTextAsync(file, """{ "RightSize": { "Routes": """);
            using var captured = new StringWriter();
            Console.SetError(captured);

            var exitCode = await Program.Main(["--urls", "http://127.0.0.1:0", "--contentRoot", directory.FullName]).WaitAsync(TestContext.Current.CancellationToken);

            Assert.Equal(1, exitCode);
            // Standard error is process-wide: other tests may add lines, so look for these two.
            var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, line => line.TrimEnd() == "RightSize cannot start:");
            Assert.Contains(lines, line => line.StartsWith("  - ", StringComparison.Ordinal) && line.Contains(file, StringComparison.Ordinal));
        }
        finally
        {
            Console.SetError(standardError);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Reload_RouteTierChangedInFile_NextDecisionFollows()
    {
        var directory = Directory.CreateTempSubdirectory("rightsize-config-");
        try
        {
            var file = Path.Combine(directory.FullName, "appsettings.json");
            await File.WriteAllTextAsync(file, RouteFile("small"));
            await using var harness = await GatewayHarness.StartAsync(settings => settings.Remove("RightSize:Routes:locked:Tier"), null, "--config-dir", directory.FullName);
            Assert.Equal("small", await TierOf(harness));

            await File.WriteAllTextAsync(file, RouteFile("frontier"));

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            var tier = await TierOf(harness);
            while (tier != "frontier" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                tier = await TierOf(harness);
            }

            Assert.Equal("frontier", tier);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Reload_NamesAModelWhileNoneIsLoaded_StaysReadyAndServes()
    {
        // A model is loaded at start-up only. A sidecar's readiness is its pod's: a reload that
        // made it 503 would take every application pod out of service at once.
        await using var harness = await GatewayHarness.StartAsync();
        var configuration = (IConfigurationRoot)harness.Gateway.App.Configuration;

        configuration["RightSize:Classifier:ModelPath"] = "models/default";
        configuration.Reload();

        using var ready = await harness.Http.GetAsync("readyz");
        var body = await Json.ReadAsync(ready);
        Assert.Equal(2, body.GetProperty("config_generation").GetInt32());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("classifier").GetProperty("loaded").GetBoolean());
        using var chat = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("auto", "hi")));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    private static string RouteFile(string tier) => $$"""{ "RightSize": { "Routes": { "pinned": { "Tier": "{{tier}}" } } } }""";

    private static async Task<string> TierOf(GatewayHarness harness)
    {
        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("pinned", "hi")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Json.Header(response, "x-rightsize-tier");
    }

    [Fact]
    public async Task UpstreamKeyFileRotated_NextRequestsUseTheNewKey()
    {
        // The upstream has moved to a new key; the Secret mounted as the key file is updated in place.
        var keyFile = Path.Combine(Path.GetTempPath(), "rs-key-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(keyFile, "sk-old\n");
        try
        {
            await using var upstreams = await TestUpstreams.StartAsync(options => options.RequiredApiKey = "sk-new");
            await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:ApiKeyFile"] = keyFile, upstreams);
            using (var refused = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi"))))
            {
                // Every tier's key is refused (only small's is rotated), so the gateway answers its own 502.
                Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
                Assert.StartsWith("fallback:upstream-401", Json.Header(refused, "x-rightsize-reason"), StringComparison.Ordinal);
            }

            await File.WriteAllTextAsync(keyFile, "sk-new\n");
            var status = HttpStatusCode.BadGateway;
            for (var wait = 0; wait < 100 && status != HttpStatusCode.OK; wait++)
            {
                await Task.Delay(100);
                using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));
                status = response.StatusCode;
            }

            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
}
