using System.Net;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Server.Forwarding;

namespace RightSize.FunctionalTests;

/// <summary>Bad input gets an OpenAI-shaped 4xx, reaches no upstream, and never produces a 500.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Gateway:MaxRequestBodyBytes"] = "2048");

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("v1/responses", true)]
    [InlineData("routes/auto/v1/responses", true)] // under a route's prefix, the API path after it
    [InlineData("v1/nope/deeper", true)]
    [InlineData("favicon.ico", false)] // not an OpenAI API path: no list of APIs
    [InlineData("v2/chat/completions", false)]
    public async Task Post_UnknownPath_404NamesTheServedApisOnlyUnderV1(string path, bool namesServedApis)
    {
        using var response = await _harness.Http.PostAsync(path, Json.Body("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Equal(namesServedApis, error.GetProperty("message").GetString()!.Contains("RightSize serves POST /v1/chat/completions", StringComparison.Ordinal));
        Assert.Equal(namesServedApis, error.GetProperty("message").GetString()!.Contains("with a second client whose base URL is the provider's", StringComparison.Ordinal));
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("chat/completions")]
    [InlineData("embeddings")]
    [InlineData("routes/auto/chat/completions")] // a route's path without its /v1
    public async Task Post_ServedApiWithoutV1_404SaysTheBaseUrlShouldEndInV1(string path)
    {
        using var response = await _harness.Http.PostAsync(path, Json.Body("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Contains("the SDK's base URL should end in /v1", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    public static TheoryData<string, string, string, int, string?> Cases() => new()
    {
        { "POST", "v1/chat/completions", "{\"model\":\"auto\",\"messages\":[", 400, "invalid_json" },
        { "POST", "v1/chat/completions", "not json at all", 400, "invalid_json" },
        { "POST", "v1/chat/completions", "[1,2,3]", 400, null },
        { "POST", "v1/chat/completions", "{\"model\":\"auto\"}", 400, null },
        { "POST", "v1/chat/completions", "{\"model\":\"auto\",\"messages\":[]}", 400, null },
        { "POST", "v1/chat/completions", "{\"model\":\"auto\",\"messages\":\"hello\"}", 400, null },
        { "POST", "v1/chat/completions", "{\"model\":\"auto\",\"messages\":[{\"role\":7,\"content\":\"x\"}]}", 400, null },
        { "POST", "v1/chat/completions", "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null },
        { "POST", "v1/chat/completions", "{\"model\":\"auto\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null },
        { "POST", "v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null },
        { "POST", "v1/chat/completions", "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404, "model_not_found" },
        { "POST", "routes/no-such-route/v1/chat/completions", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404, "route_not_found" },
        { "POST", "v1/chat/completions", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 4000) + "\"}]}", 413, "request_too_large" },
        { "GET", "v1/chat/completions", "", 405, "method_not_allowed" },
        { "POST", "v1/not-an-endpoint", "{}", 404, "unknown_url" },
        { "POST", "v1/chat/completions.json", "{}", 404, "unknown_url" },
        { "GET", "favicon.ico", "", 404, "unknown_url" },
        { "DELETE", "v1/models", "", 405, "method_not_allowed" },
        { "POST", "v1/chat/completions", "{\"model\":\"locked\",\"Model\":\"big-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null },
        { "POST", "v1/completions", "{\"model\":\"auto\",\"prompt\":\"x\",\"Prompt\":\"y\"}", 400, null },
        { "POST", "v1/embeddings", "{\"model\":\"auto\",\"input\":\"x\",\"INPUT\":\"y\"}", 400, null },
        { "POST", "v1/completions", "{\"model\":\"auto\"}", 400, null },
        { "POST", "v1/embeddings", "{\"model\":\"auto\"}", 400, null },
        { "POST", "rightsize/route", "{\"model\":\"auto\",\"messages\":{}}", 400, null },
        { "POST", "rightsize/route?route=no-such-route", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404, "route_not_found" },
        { "POST", "rightsize/route?route=no-such-route", "{\"model\":\"zzz\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404, "route_not_found" },
        // Two routes named: neither is chosen, and no made-up route "auto,auto" is reported missing.
        { "POST", "rightsize/route?route=auto&route=auto", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null },
        { "POST", "routes/auto", "{}", 404, "unknown_url" },
        { "POST", "healthz", "{}", 405, "method_not_allowed" },
        { "DELETE", "readyz", "", 405, "method_not_allowed" },
        { "POST", "rightsize/stats", "{}", 405, "method_not_allowed" },
        { "PUT", "rightsize/dashboard", "{}", 405, "method_not_allowed" },
        { "POST", "routes/auto/v2/chat", "{}", 404, "unknown_url" },
        { "POST", "v1/chat/completions", "{\"model\":\"caf\\u00e9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "invalid_model" },
        { "POST", "routes/cheap/v1/embeddings", "{\"model\":\"a\\nb\",\"input\":\"x\"}", 400, "invalid_model" },
        { "POST", "routes/cheap/v1/chat/completions", "{\"model\":\"" + new string('m', 257) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, "invalid_model" },
        // A pass-through model given twice: the gateway would route on one, an upstream's parser might read the other.
        { "POST", "v1/chat/completions", "{\"model\":\"" + TestUpstreams.SmallModel + "\",\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400, null },
        { "POST", "v1/embeddings", "{\"model\":\"" + TestUpstreams.SmallModel + "\",\"input\":\"x\",\"model\":null}", 400, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Send_BadInput_OpenAIShaped4xxAndNoUpstreamTraffic(string method, string path, string body, int status, string? code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0) request.Content = Json.Body(body);

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("param", out _));
        if (code is not null) Assert.Equal(code, error.GetProperty("code").GetString());
        if (status == 405) Assert.NotEmpty(response.Content.Headers.Allow);
        Assert.False(string.IsNullOrEmpty(Assert.Single(response.Headers.GetValues(ErrorResponses.RequestIdHeader))), "the request id a user quotes to the operator");
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("v1/chat/completions", "application/x-www-form-urlencoded")]
    [InlineData("v1/chat/completions", "text/plain; charset=utf-8")]
    [InlineData("v1/completions", "multipart/form-data; boundary=x")]
    [InlineData("v1/embeddings", "application/octet-stream")]
    [InlineData("rightsize/route", "text/html")]
    public async Task Post_BodyNotDeclaredAsJson_415AndNoUpstreamTraffic(string path, string contentType)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Json.Chat("auto", "x")));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _harness.Http.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("unsupported_media_type", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Post_CompressedBody_415AndNoUpstreamTraffic(string coding)
    {
        using var content = Json.Body(Json.Chat("auto", "x"));
        content.Headers.ContentEncoding.Add(coding);

        using var response = await _harness.Http.PostAsync("v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("unsupported_media_type", error.GetProperty("code").GetString());
        Assert.Contains("Content-Encoding", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("Identity")]
    [InlineData("identity, identity")]
    public async Task Post_BodyDeclaredIdentity_IsServed(string coding)
    {
        using var content = Json.Body(Json.Chat("auto", "x"));
        content.Headers.TryAddWithoutValidation("Content-Encoding", coding);

        using var response = await _harness.Http.PostAsync("v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=UTF-8")]
    [InlineData("text/json")]
    [InlineData("application/vnd.example+json")]
    [InlineData(null)]
    public async Task Post_BodyDeclaredAsJsonOrUndeclared_IsServed(string? contentType)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Json.Chat("auto", "x")));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _harness.Http.PostAsync("v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Post_InvalidTierHeader_400NamingTheHeader()
    {
        using var request = Json.ChatForTier("auto", "x", "gigantic");

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("x-rightsize-tier", (await Json.ReadAsync(response)).GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task Post_BadInput_ErrorDoesNotEchoPromptText()
    {
        const string secret = "my-private-prompt-text";
        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + "\"}], \"stream\": 3}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
