using System.Net;
using System.Text;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// Requests from web pages are refused. A page on any site can have its visitors' browsers send
/// <c>fetch(url, {method: 'POST', mode: 'no-cors', body})</c>: a CORS "simple request", sent without
/// a preflight, with no <c>Content-Type</c> (which the gateway reads as JSON), and it would be
/// forwarded with the provider key. Browsers send <c>Origin</c> on every <c>POST</c>; no OpenAI SDK
/// outside a browser does. So every endpoint that reads a body refuses a request with an
/// <c>Origin</c> header, before reading it; the <c>GET</c> endpoints are unaffected.
/// </summary>
public sealed class BrowserOriginTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>Each body endpoint with a body it serves, and whether a request without <c>Origin</c> reaches an upstream.</summary>
    private static readonly (string Path, string Body, bool Forwarded)[] Endpoints =
    [
        ("v1/chat/completions", Json.Chat("auto", "hi"), true),
        ("v1/completions", """{"model":"auto","prompt":"hi"}""", true),
        ("v1/embeddings", """{"model":"sim-frontier","input":"hi"}""", true),
        ("routes/cheap/v1/chat/completions", Json.Chat("cheap", "hi"), true),
        ("routes/cheap/v1/completions", """{"model":"cheap","prompt":"hi"}""", true),
        ("routes/cheap/v1/embeddings", """{"model":"sim-frontier","input":"hi"}""", true),
        ("rightsize/route", Json.Chat("auto", "hi"), false),
    ];

    public static TheoryData<string, string> BodyEndpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, body, _) in Endpoints) data.Add(path, body);
        return data;
    }

    public static TheoryData<string, string, bool> BodyEndpointsServed()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (path, body, forwarded) in Endpoints) data.Add(path, body, forwarded);
        return data;
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task Post_NoCorsFetchFromAPage_403OriginNotAllowedAndNoUpstreamTraffic(string path, string body)
    {
        using var request = SimpleRequest(path, body);
        request.Headers.Add("Origin", "https://attacker.example");

        using var response = await _harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("origin_not_allowed", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Contains("Origin header", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("x-rightsize-route"), "refused before any route was chosen");
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("null")] // a sandboxed iframe's, or a page opened from a file
    [InlineData("http://127.0.0.1")] // a page served beside the gateway: same-origin POSTs carry Origin too
    public async Task Post_AnyOriginValue_403(string origin)
    {
        using var request = SimpleRequest("v1/chat/completions", Json.Chat("auto", "hi"));
        request.Headers.TryAddWithoutValidation("Origin", origin);

        using var response = await _harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [MemberData(nameof(BodyEndpointsServed))]
    public async Task Post_SameRequestWithoutOrigin_IsServed(string path, string body, bool forwarded)
    {
        using var request = SimpleRequest(path, body);

        using var response = await _harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(forwarded ? 1 : 0, _harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("v1/models")]
    [InlineData("v1/models/auto")]
    [InlineData("routes/cheap/v1/models")]
    [InlineData("rightsize/dashboard")]
    [InlineData("rightsize/stats")]
    [InlineData("healthz")]
    [InlineData("readyz")]
    public async Task Get_WithOrigin_IsServed(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "https://attacker.example");

        using var response = await _harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Options_Preflight_Still405WithoutCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        request.Headers.Add("Origin", "https://attacker.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await _harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain(response.Headers, header => header.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What a page's <c>fetch</c> with <c>mode: 'no-cors'</c> and a byte body sends: a POST with no <c>Content-Type</c>.</summary>
    private static HttpRequestMessage SimpleRequest(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
}
