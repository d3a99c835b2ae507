using System.Net;
using System.Text;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// Every body the gateway forwards is declared <c>application/json</c>, whatever the client called
/// it: the gateway accepts a missing type, <c>text/json</c>, <c>application/*+json</c> and any
/// parameters, but an upstream need not be as lenient (servers built on FastAPI, such as vLLM,
/// answer <c>text/json</c> with a 422). Routed chat, pass-through chat and embeddings all go to the small
/// simulator, whose journal keeps the headers it received.
/// </summary>
public sealed class OutgoingContentTypeTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string, string, string?> Cases() => new()
    {
        { "v1/chat/completions", "cheap", null },
        { "v1/chat/completions", "cheap", "text/json" },
        { "v1/chat/completions", "cheap", "application/json; charset=utf-8" },
        { "v1/chat/completions", "cheap", "application/vnd.api+json" },
        { "v1/chat/completions", "cheap", "Application/JSON" },
        { "v1/chat/completions", TestUpstreams.SmallModel, null },
        { "v1/chat/completions", TestUpstreams.SmallModel, "text/json; charset=utf-8" },
        { "v1/embeddings", TestUpstreams.SmallModel, null },
        { "v1/embeddings", TestUpstreams.SmallModel, "application/json;charset=UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post_AnyJsonContentTypeOrNone_UpstreamReceivesApplicationJson(string path, string model, string? contentType)
    {
        var json = path == "v1/embeddings" ? $$"""{"model":"{{model}}","input":"hi"}""" : Json.Chat(model, "hi");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _harness.Http.PostAsync(path, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        Assert.Equal("application/json", received.Headers["Content-Type"]);
    }
}
