using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>Routing, pass-through and forwarding behaviour seen by a plain HTTP client.</summary>
public sealed class ProxyBehaviourTests : IAsyncLifetime
{
    private const string UpstreamKeyVariable = "RIGHTSIZE_FT_UPSTREAM_KEY";
    private const string UpstreamKey = "sk-upstream-configured-key";
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable(UpstreamKeyVariable, UpstreamKey);
        _harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:ApiKeyEnv"] = UpstreamKeyVariable);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        Environment.SetEnvironmentVariable(UpstreamKeyVariable, null);
    }

    [Fact]
    public async Task Post_UnknownFields_ReachUpstreamByteIdenticalExceptModel()
    {
        const string original = "{ \"messages\" : [{\"role\":\"user\",\"content\":\"caf\\u00e9 \u00fcber\"}],\n  \"model\":\"cheap\", \"vendor_x\": {\"nested\": [1, 2.50, -0e3, null, true]},\n\t\"logprobs\":true , \"seed\": 12345678901234567890 }";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(original) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + GatewayHarness.ClientKey);

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        var expected = original.Replace("\"model\":\"cheap\"", "\"model\":\"sim-small\"", StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), received.Body.ToArray());
    }

    [Fact]
    public async Task Post_ConfiguredUpstreamKey_ReplacesClientAuthorization()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + GatewayHarness.ClientKey);

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        Assert.Equal("Bearer " + UpstreamKey, received.Headers["Authorization"]);
    }

    [Theory]
    [InlineData("api-key")] // Azure OpenAI
    [InlineData("x-api-key")] // Anthropic-style clients and several gateways
    [InlineData("x-goog-api-key")] // Google
    [InlineData("Ocp-Apim-Subscription-Key")] // Azure API Management
    [InlineData("x-functions-key")] // Azure Functions
    [InlineData("Proxy-Authorization")]
    public async Task Post_ClientKeyInAnotherHeader_DoesNotReachTheUpstream(string header)
    {
        // Some clients send their key in a header of their provider's instead of Authorization;
        // it is the client's key all the same, and the upstream gets only its own.
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        request.Headers.TryAddWithoutValidation(header, GatewayHarness.ClientKey);

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        Assert.False(received.Headers.ContainsKey(header));
        Assert.DoesNotContain(received.Headers.Values, value => value.Contains(GatewayHarness.ClientKey, StringComparison.Ordinal));
        Assert.Equal("Bearer " + UpstreamKey, received.Headers["Authorization"]);
    }

    [Fact]
    public async Task Sdk_OrganizationAndProjectOfTheClientKey_DoNotReachTheUpstream()
    {
        // They belong to the client's key, which the gateway replaces with the upstream's own:
        // sent beside another account's key, OpenAI would refuse the request.
        var client = new OpenAIClient(new ApiKeyCredential(GatewayHarness.ClientKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(_harness.BaseAddress, "v1"),
            OrganizationId = "org-client",
            ProjectId = "proj-client",
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

        await client.GetChatClient("cheap").CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken);

        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        Assert.Equal("Bearer " + UpstreamKey, received.Headers["Authorization"]);
        Assert.False(received.Headers.ContainsKey("OpenAI-Organization"));
        Assert.False(received.Headers.ContainsKey("OpenAI-Project"));
    }

    [Fact]
    public async Task Post_KeyInTheQueryString_NotForwardedAndTheRestOfTheQueryIs()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions?api-version=2024-10-21&api-key=sk-client&Key=sk-2&keyword=kept&apikey=sk-3") { Content = Json.Body(Json.Chat("cheap", "hi")) };

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        Assert.Equal("?api-version=2024-10-21&keyword=kept", received.QueryString);
    }

    [Fact]
    public async Task Post_NoUpstreamKey_SendsNoAuthorization()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("auto", "hi")) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + GatewayHarness.ClientKey);

        using var response = await _harness.Http.SendAsync(request);

        var received = Assert.Single(_harness.Upstreams.Mid.Journal.Snapshot());
        Assert.False(received.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("auto", "frontier", "frontier", "override")]
    [InlineData("auto", "small", "small", "override")]
    [InlineData("support", "frontier", "mid", "override")]
    [InlineData("locked", "frontier", "small", "fixed")]
    public async Task Post_TierOverrideHeader_HonouredWhereRouteAllows(string route, string wanted, string expectedTier, string expectedReason)
    {
        using var request = Json.ChatForTier(route, "hi", wanted);

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedTier, Json.Header(response, "x-rightsize-tier"));
        Assert.Equal(expectedReason, Json.Header(response, "x-rightsize-reason"));
        Assert.Equal(1, _harness.Upstreams.For(expectedTier).Journal.TotalReceived);
        Assert.False(_harness.Upstreams.For(expectedTier).Journal.Snapshot()[0].Headers.ContainsKey("x-rightsize-tier"));
    }

    [Fact]
    public async Task Post_ClaimedModelOnRootPath_RoutedByClaimingRoute()
    {
        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("gpt-4o", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("support", Json.Header(response, "x-rightsize-route"));
        Assert.Equal("sim-mid", (await Json.ReadAsync(response)).GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("/v1beta")]
    [InlineData("/rightsizer")]
    public async Task Post_UnderAPathPrefixThatBeginsLikeAGatewayPath_ServedByItsRoute(string prefix)
    {
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Routes:support:PathPrefix"] = prefix);

        using var response = await harness.Http.PostAsync(prefix[1..] + "/v1/chat/completions", Json.Body(Json.Chat("any-model", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("support", Json.Header(response, "x-rightsize-route"));
    }

    [Theory]
    [InlineData("v1/chat/completions/")]
    [InlineData("routes/cheap/v1/chat/completions/")]
    public async Task Post_TrailingSlash_ServedOnTheRootPathAndUnderARoute(string path)
    {
        using var response = await _harness.Http.PostAsync(path, Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cheap", Json.Header(response, "x-rightsize-route"));
    }

    [Fact]
    public async Task Post_UnclaimedConcreteModel_PassesThroughUnchanged()
    {
        var body = Json.Chat(TestUpstreams.FrontierModel, "hi", ",\"x\":1");

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("passthrough", Json.Header(response, "x-rightsize-reason"));
        var received = Assert.Single(_harness.Upstreams.Frontier.Journal.Snapshot());
        Assert.Equal(body, received.BodyText);
    }

    [Fact]
    public async Task Post_Completions_RoutedOnPromptText()
    {
        using var response = await _harness.Http.PostAsync("v1/completions", Json.Body("""{"model":"cheap","prompt":"Say hi","max_tokens":5}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        Assert.Equal("/v1/completions", received.Path);
        Assert.Equal("sim-small", received.Model);
    }

    [Fact]
    public async Task Post_Embeddings_ForwardedToRouteEmbeddingsUpstreamUnclassified()
    {
        using var response = await _harness.Http.PostAsync("routes/auto/v1/embeddings", Json.Body("""{"model":"sim-frontier","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Frontier.Journal.Snapshot());
        Assert.Equal("/v1/embeddings", received.Path);
        Assert.Equal("list", (await Json.ReadAsync(response)).GetProperty("object").GetString());
    }

    [Theory]
    [InlineData("v1/embeddings", "auto", "auto")]
    [InlineData("routes/auto/v1/embeddings", "Auto", "auto")]
    [InlineData("routes/cheap/v1/embeddings", "auto", "cheap")] // another route's name, under this route's prefix
    public async Task Post_Embeddings_RouteNameWithoutEmbeddingsModel_Is404AndNotForwarded(string path, string model, string route)
    {
        using var response = await _harness.Http.PostAsync(path, Json.Body($$"""{"model":"{{model}}","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains($"RightSize:Routes:{route}:Embeddings:Model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        // No Passthrough:Upstream here: on /v1 a concrete model alone would get a 404 too, so the advice
        // says what else it needs; on the route's path a concrete model is sent on as it is.
        var advice = path.StartsWith("routes/", StringComparison.Ordinal) ? "send a concrete embeddings model, or set" : "set RightSize:Passthrough:Upstream and send a concrete embeddings model";
        Assert.Contains(advice, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Post_Chat_UnclaimedModel_404NamesTheSettingsThatServeIt()
    {
        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("gpt-4o-mini", "hello")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.StartsWith("The model 'gpt-4o-mini' does not exist or no route serves it", message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Passthrough:Upstream", message, StringComparison.Ordinal);
        Assert.Contains("ClaimModels", message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Post_Embeddings_UnclaimedModel_404NamesTheSettingsThatServeIt()
    {
        using var response = await _harness.Http.PostAsync("v1/embeddings", Json.Body("""{"model":"text-embedding-3-small","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.Contains("RightSize:Passthrough:Upstream", message, StringComparison.Ordinal);
        Assert.Contains("Embeddings:Model", message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Get_Models_ListsRoutesAndConcreteModels()
    {
        var body = await Json.ReadAsync(await _harness.Http.GetAsync("v1/models"));

        var ids = body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Contains("auto", ids);
        Assert.Contains("support", ids);
        Assert.Contains(TestUpstreams.SmallModel, ids);
        Assert.Contains(TestUpstreams.FrontierModel, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Post_DryRun_ReturnsDecisionWithoutForwarding()
    {
        using var response = await _harness.Http.PostAsync("rightsize/route", Json.Body(Json.Chat("support", "hi", ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decision = await Json.ReadAsync(response);
        Assert.Equal("support", decision.GetProperty("route").GetString());
        Assert.Equal("mid", decision.GetProperty("tier").GetString());
        Assert.Equal("sim-mid", decision.GetProperty("model").GetString());
        Assert.True(decision.TryGetProperty("decision_time_us", out _));
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Get_HealthAndReadiness_Ok()
    {
        using var live = await _harness.Http.GetAsync("healthz");
        using var ready = await _harness.Http.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await Json.ReadAsync(ready)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Head_HealthAndReadiness_OkAsJson()
    {
        // HttpClient never reads a body on HEAD, so there is none to check here: Kestrel sends none.
        using var live = await _harness.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "healthz"));
        using var ready = await _harness.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "readyz"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("application/json", ready.Content.Headers.ContentType?.MediaType);
    }
}
