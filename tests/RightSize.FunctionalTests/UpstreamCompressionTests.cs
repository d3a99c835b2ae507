using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Server.Observability;

namespace RightSize.FunctionalTests;

/// <summary>
/// The gateway reads usage and SSE events from the upstream's body, so it asks for it
/// uncompressed. Without an <c>Accept-Encoding</c> header any coding is acceptable (RFC 9110
/// §12.5.3), and the scripted upstream here compresses whenever the request allows gzip, as a
/// server by the book may. Route <c>cheap</c> sends to it in place of the small tier.
/// </summary>
public sealed class UpstreamCompressionTests
{
    private const string UsageJson = """{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}""";
    private const string Chunk = """{"id":"c1","object":"chat.completion.chunk","model":"sim-small","choices":[{"index":0,"delta":{"content":"one two three"},"finish_reason":null}]}""";
    private static readonly string Events = $"data: {Chunk}\n\ndata: {{\"id\":\"c1\",\"choices\":[],\"usage\":{UsageJson}}}\n\ndata: [DONE]\n\n";

    private readonly RecordingObserver _observer = new();

    [Fact]
    public async Task Stream_UpstreamCompressesWhereAllowed_ClientGetsPlainEventsWithoutUsageChunk()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(AnswerAsync);
        await using var harness = await GatewayHarness.StartAsync(
            settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl,
            upstreams: null,
            services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(_observer)));

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal($"data: {Chunk}\n\ndata: [DONE]\n\n", text);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
    }

    /// <summary>Gzip unless the request's <c>Accept-Encoding</c> rules it out: no header at all allows any coding.</summary>
    private static async Task AnswerAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        var bytes = Encoding.UTF8.GetBytes(Events);
        if (AllowsGzip(context.Request.Headers.AcceptEncoding.ToString()))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(bytes);
            return;
        }

        await context.Response.Body.WriteAsync(bytes);
    }

    private static bool AllowsGzip(string acceptEncoding)
    {
        if (string.IsNullOrWhiteSpace(acceptEncoding)) return true;
        var codings = StringWithQualityHeaderValue.ParseList([acceptEncoding]);
        var named = codings.FirstOrDefault(c => c.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase)) ?? codings.FirstOrDefault(c => c.Value.Equals("*", StringComparison.Ordinal));
        return named is not null && named.Quality is not 0;
    }
}
