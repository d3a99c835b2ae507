using System.Net;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// <c>Passthrough:Enabled</c> false means no model a client names reaches an upstream unchanged: a
/// route's embeddings are then served only under the route's <c>Embeddings:Model</c>, on its path too.
/// </summary>
public sealed class EmbeddingsWithoutPassthroughTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync(settings =>
    {
        settings["RightSize:Passthrough:Enabled"] = "false";
        settings["RightSize:Routes:cheap:Embeddings:Model"] = "sim-frontier"; // the route's highest tier's upstream serves it
    });

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("routes/auto/v1/embeddings", "text-embedding-3-large", "auto")] // any model, on a route's path
    [InlineData("v1/embeddings", "gpt-4o", "support")] // a model the route claims
    [InlineData("v1/embeddings", "auto", "auto")] // the route's own name: no advice to send a concrete model, which would not be sent on either
    public async Task Post_RouteWithoutEmbeddingsModel_404NamesTheSettingAndNothingIsForwarded(string path, string model, string route)
    {
        using var response = await _harness.Http.PostAsync(path, Json.Body($$"""{"model":"{{model}}","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.Contains("RightSize:Passthrough:Enabled is false", message, StringComparison.Ordinal);
        Assert.Contains($"RightSize:Routes:{route}:Embeddings:Model", message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Post_Chat_UnclaimedModel_404SaysPassthroughIsOff()
    {
        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("gpt-4o-mini", "hello")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var message = (await Json.ReadAsync(response)).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("RightSize:Passthrough:Enabled is false", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Passthrough:Upstream", message, StringComparison.Ordinal); // it would not help
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Post_RouteWithAnEmbeddingsModel_ServedUnderThatModel()
    {
        using var response = await _harness.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body("""{"model":"text-embedding-3-large","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Frontier.Journal.Snapshot());
        Assert.Equal("/v1/embeddings", received.Path);
        Assert.Equal("sim-frontier", received.Model);
    }
}
