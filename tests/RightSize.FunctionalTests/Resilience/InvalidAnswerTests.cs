using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// A 200 that is no OpenAI answer (a page, an error object, an empty stream, a stream that opens
/// with an error event) fails its attempt while nothing has reached the client: the next tier
/// answers (<c>fallback:invalid-answer</c>), or on the last candidate the gateway's 502. The small
/// tier (and for route <c>capped</c>, which stops at mid, the mid tier too) is a scripted upstream.
/// </summary>
public sealed class InvalidAnswerTests
{
    private const string ErrorObject = """{"error":{"message":"upstream-secret-wording","type":"server_error","code":null}}""";

    [Theory]
    [InlineData("text/html; charset=utf-8", "<html><body>upstream-secret-wording: sign in</body></html>", false)]
    [InlineData("text/plain", "upstream-secret-wording", false)]
    [InlineData("application/json", ErrorObject, false)]
    [InlineData("application/json", "", false)]
    [InlineData("text/event-stream", "data: " + ErrorObject + "\n\n", true)]
    [InlineData("text/event-stream", "", true)]
    [InlineData("text/event-stream", ErrorObject, true)] // no event at all: nothing a client would read
    [InlineData("text/event-stream", "<html><body>upstream-secret-wording</body></html>\n", true)]
    public async Task Send_CheapestTierAnswers200WithoutAnAnswer_NextTierAnswers(string contentType, string body, bool stream)
    {
        await using var small = await StartAnsweringAsync(contentType, body);
        await using var harness = await StartGatewayAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = small.BaseUrl);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hello there", stream ? ",\"stream\":true" : "")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("fallback:invalid-answer", Json.Header(response, "x-rightsize-reason"));
        Assert.Contains(stream ? "\"model\":\"sim-mid\"" : "[sim-mid] hello there", text, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream-secret-wording", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/html", "<html>upstream-secret-wording</html>", false)]
    [InlineData("text/event-stream", "data: " + ErrorObject + "\n\n", true)]
    public async Task Send_LastCandidateAnswers200WithoutAnAnswer_Gateway502(string contentType, string body, bool stream)
    {
        await using var upstream = await StartAnsweringAsync(contentType, body);
        await using var harness = await StartGatewayAsync(settings =>
        {
            settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl;
            settings["RightSize:Upstreams:up-mid:BaseUrl"] = upstream.BaseUrl;
        });

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("capped", "hi", stream ? ",\"stream\":true" : "")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_error", await Json.ErrorCodeAsync(response));
        Assert.Contains($"mid: {TestUpstreams.MidModel} (invalid-answer)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream-secret-wording", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", ErrorObject)]
    [InlineData("text/html", "<html><body>upstream-secret-wording</body></html>")]
    public async Task Send_StreamRequestsAnswerOpensWithALineBreak_JudgedByWhatFollows(string contentType, string body)
    {
        // The first read is only white space: whether this is a stream is decided by what follows.
        await using var small = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync("\n"u8.ToArray());
            await context.Response.Body.FlushAsync();
            await Task.Delay(200);
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
        });
        await using var harness = await StartGatewayAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = small.BaseUrl);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hello there", ",\"stream\":true")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:invalid-answer", Json.Header(response, "x-rightsize-reason"));
        Assert.Contains("\"model\":\"sim-mid\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream-secret-wording", text, StringComparison.Ordinal);
    }

    private static Task<GatewayHarness> StartGatewayAsync(Action<Dictionary<string, string?>> configure) => GatewayHarness.StartAsync(settings =>
    {
        settings["RightSize:Routes:capped:DefaultTier"] = "small";
        settings["RightSize:Routes:capped:MaxTier"] = "mid";
        configure(settings);
    });

    private static Task<ScriptedUpstream> StartAnsweringAsync(string contentType, string body) => ScriptedUpstream.StartAsync(async context =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    });
}
