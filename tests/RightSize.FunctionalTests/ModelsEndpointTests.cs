using System.ClientModel;
using System.Net;
using OpenAI.Models;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{model}</c> through the official OpenAI SDK's model client.</summary>
public sealed class ModelsEndpointTests : IAsyncLifetime
{
    private const string SlashedModel = "meta-llama/Llama-3-8B-Instruct";
    private const string DottedModel = "gpt-4.1";
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await GatewayHarness.StartAsync(settings =>
        {
            settings["RightSize:Routes:support:Tiers:small:Model"] = SlashedModel;
            settings["RightSize:Routes:support:Tiers:frontier:Model"] = DottedModel;
        });

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task GetModels_ListsRoutesClaimedNamesAndConcreteModels()
    {
        var models = (await Client().GetModelsAsync()).Value;

        var ids = models.Select(m => m.Id).ToList();
        Assert.Equal(["auto", "cheap", "locked", "support", "gpt-4o"], ids.Take(5));
        Assert.Equal("rightsize", models.First(m => m.Id == "gpt-4o").OwnedBy);
        Assert.Contains(TestUpstreams.MidModel, ids);
        Assert.Contains(SlashedModel, ids);
        Assert.Equal("rightsize", models.First(m => m.Id == "auto").OwnedBy);
    }

    [Theory]
    [InlineData("auto", "auto", "rightsize")]
    [InlineData("Auto", "auto", "rightsize")]
    [InlineData("gpt-4o", "gpt-4o", "rightsize")]
    [InlineData(TestUpstreams.MidModel, TestUpstreams.MidModel, "up-mid")]
    [InlineData(SlashedModel, SlashedModel, "up-small")]
    [InlineData(DottedModel, DottedModel, "up-frontier")]
    public async Task GetModel_ListedModel_ReturnsIt(string asked, string id, string ownedBy)
    {
        var model = (await Client().GetModelAsync(asked)).Value;

        Assert.Equal((id, ownedBy), (model.Id, model.OwnedBy));
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task GetModel_UnderRoutePrefix_ReturnsIt()
    {
        var model = (await Client("routes/support/").GetModelAsync("support")).Value;

        Assert.Equal("support", model.Id);
    }

    [Fact]
    public async Task GetModel_UnknownModel_Is404ModelNotFound()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Client().GetModelAsync("o3"));

        Assert.Equal(404, failure.Status);
        var error = (await Json.ReadAsync(await _harness.Http.GetAsync("v1/models/o3"))).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task GetModel_IdWithALiteralPercent_DecodedOnceSoNotAnotherModel()
    {
        // "aut%6F" travels as aut%256F; decoded twice it would be "auto", a route's name.
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Client().GetModelAsync("aut%6F"));

        Assert.Equal(404, failure.Status);
        var error = (await Json.ReadAsync(await _harness.Http.GetAsync("v1/models/aut%256F"))).GetProperty("error");
        Assert.Contains("'aut%6F'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteModel_Is405AllowingGetAndHead()
    {
        using var response = await _harness.Http.DeleteAsync("v1/models/auto");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET,HEAD", string.Join(",", response.Content.Headers.Allow));
        Assert.Equal("method_not_allowed", await Json.ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("v1/models")]
    [InlineData("v1/models/auto")]
    public async Task HeadModels_OkWithTheGetHeaders(string path)
    {
        using var get = await _harness.Http.GetAsync(path);
        using var head = await _harness.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/json", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("POST", "routes/auto/v1/models")]
    [InlineData("DELETE", "routes/auto/v1/models")]
    [InlineData("POST", "routes/auto/v1/models/auto")]
    public async Task WriteToARoutesModels_Is405(string method, string path)
    {
        using var response = await _harness.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET,HEAD", string.Join(",", response.Content.Headers.Allow));
    }

    private OpenAIModelClient Client(string? pathPrefix = null) => _harness.OpenAIClient(pathPrefix).GetOpenAIModelClient();
}
