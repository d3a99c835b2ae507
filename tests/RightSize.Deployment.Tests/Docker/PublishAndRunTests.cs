using System.Net;
using System.Text;
using System.Text.Json;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Docker;

/// <summary>
/// The image's path without Docker: <c>deploy/docker/publish.sh</c> (what the Dockerfile runs), then
/// <c>dotnet RightSize.Gateway.dll</c> from the output directory (the ENTRYPOINT and WORKDIR) with
/// the ConfigMap's appsettings.json in a mounted directory and the manifests' environment.
/// </summary>
public sealed class PublishAndRunTests(PublishedGateway published)
{
    [Fact]
    public async Task PublishedGateway_RoutedRequest_ReachesUpstreamWithSecretKeyAndDecisionHeaders()
    {
        await using var run = await ContainerRun.StartAsync(published);
        var (gateway, upstreams) = (run.Gateway, run.Upstreams);
        using var response = await gateway.Http.PostAsync(new Uri(gateway.BaseAddress, "v1/chat/completions"), Chat("auto", "Summarise the plot of Hamlet in one line."));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + "\n" + gateway.Log);
        Assert.Equal("auto", Header(response, "x-rightsize-route"));
        Assert.Equal("mid", Header(response, "x-rightsize-tier"));
        Assert.Equal("gpt-4.1-mini", Header(response, "x-rightsize-model"));
        Assert.False(string.IsNullOrEmpty(Header(response, "x-rightsize-reason")));
        Assert.False(string.IsNullOrEmpty(Header(response, "x-rightsize-confidence")));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("gpt-4.1-mini", body.RootElement.GetProperty("model").GetString());

        var received = Assert.Single(upstreams.OpenAI.Journal.Snapshot());
        Assert.Equal("gpt-4.1-mini", received.Model);
        Assert.Equal("Bearer " + ContainerEnvironment.ProviderKey, received.Headers["Authorization"]);
        Assert.Equal(200, received.StatusCode);
        Assert.Empty(upstreams.Local.Journal.Snapshot());
    }

    [Fact]
    public async Task PublishedGateway_ClaimedModelOnSupportRoute_ForcedSmallTierGoesToLocalUpstream()
    {
        await using var run = await ContainerRun.StartAsync(published);
        var (gateway, upstreams) = (run.Gateway, run.Upstreams);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "v1/chat/completions")) { Content = Chat("gpt-4o", "hello") };
        request.Headers.Add("x-rightsize-tier", "small");
        using var response = await gateway.Http.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + "\n" + gateway.Log);
        Assert.Equal("support", Header(response, "x-rightsize-route"));
        Assert.Equal("small", Header(response, "x-rightsize-tier"));
        var received = Assert.Single(upstreams.Local.Journal.Snapshot());
        Assert.Equal("llama-3.2-3b", received.Model);
        Assert.False(received.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task HealthcheckScript_GatewayUpThenStopped_ExitsZeroThenNonZero()
    {
        await using var run = await ContainerRun.StartAsync(published);
        var image = ImagePort(run.Gateway);

        var healthy = await Healthcheck.RunAsync(image);
        Assert.True(healthy.ExitCode == 0, healthy.Describe() + "\n" + run.Gateway.Log);
        await run.Gateway.DisposeAsync(); // stops the gateway; disposing the run again is harmless

        var stopped = await Healthcheck.RunAsync(image);
        Assert.NotEqual(0, stopped.ExitCode);
    }

    [Fact]
    public async Task HealthcheckScript_PathArgument_ReadinessPassesUnknownPathAndBadArgumentFail()
    {
        await using var run = await ContainerRun.StartAsync(published);
        var image = ImagePort(run.Gateway);

        var ready = await Healthcheck.RunAsync(image, "/readyz");
        Assert.True(ready.ExitCode == 0, ready.Describe() + "\n" + run.Gateway.Log);
        Assert.NotEqual(0, (await Healthcheck.RunAsync(image, "/no-such-path")).ExitCode); // 404
        Assert.NotEqual(0, (await Healthcheck.RunAsync(image, "readyz")).ExitCode); // not a path
    }

    [Fact]
    public async Task PublishOutput_RepositoryModel_ShippedUnderModelsDefault()
    {
        var output = await published.GetAsync();
        var source = Repository.PathOf("models", "default");
        Assert.True(File.Exists(Path.Combine(output, "appsettings.json")));
        if (!Directory.Exists(source)) return; // nothing to ship yet: the wildcard copies nothing and the build still works

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var shipped = Path.Combine(output, "models", "default", Path.GetRelativePath(source, file));
            Assert.True(File.Exists(shipped), $"{shipped} missing from the publish output");
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(shipped));
        }
    }

    [Fact]
    public async Task PublishedGateway_ConfigMapModelPath_LoadsTheBakedInModelFromWorkdir()
    {
        var output = await published.GetAsync();
        Assert.SkipUnless(File.Exists(Path.Combine(output, "models", "default", "model.onnx")), "The repository has no models/default/model.onnx to bake in.");

        // The image's default configuration names the baked-in model; a model the gateway refuses
        // (feature schema mismatch, golden vectors disagreeing) would stop every pod from starting.
        await using var run = await ContainerRun.StartAsync(published, withModel: true);
        var gateway = run.Gateway;

        using var ready = JsonDocument.Parse(await gateway.Http.GetStringAsync(new Uri(gateway.BaseAddress, "readyz")));
        Assert.True(ready.RootElement.GetProperty("classifier").GetProperty("loaded").GetBoolean(), ready.RootElement.ToString());
        using var response = await gateway.Http.PostAsync(new Uri(gateway.BaseAddress, "v1/chat/completions"), Chat("auto", "What is 2 + 2?"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + "\n" + gateway.Log);
        Assert.Contains(Header(response, "x-rightsize-tier"), new[] { "small", "mid", "frontier" });
    }

    /// <summary>The image's environment for the script: the port comes from ASPNETCORE_HTTP_PORTS.</summary>
    private static Dictionary<string, string> ImagePort(GatewayProcess gateway) =>
        new() { ["ASPNETCORE_HTTP_PORTS"] = gateway.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static StringContent Chat(string model, string content) =>
        new(JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content } } }), Encoding.UTF8, "application/json");

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;
}
