using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Gateway;

namespace RightSize.FunctionalTests;

/// <summary>
/// A reload while a request is in flight: the request keeps the snapshot it started with (its
/// escalation goes to the old configuration's next tier, on the old upstream, under the old
/// model name) and a request that starts after the reload sees only the new configuration.
/// </summary>
public sealed class ReloadInFlightTests
{
    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Reload_WhileStreamWaitsOnFailingTier_EscalationAndStreamKeepTheOldSnapshot()
    {
        var smallReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSmall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var oldModels = new ConcurrentQueue<string>();
        var newModels = new ConcurrentQueue<string>();
        await using var oldUpstream = await ScriptedUpstream.StartAsync(async context =>
        {
            var model = await ModelOfAsync(context);
            oldModels.Enqueue(model);
            if (model == "old-small")
            {
                smallReceived.TrySetResult();
                await releaseSmall.Task;
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("""{"error":{"message":"busy","type":"server_error","param":null,"code":null}}""");
                return;
            }

            await AnswerAsync(context, model);
        });
        await using var newUpstream = await ScriptedUpstream.StartAsync(async context =>
        {
            var model = await ModelOfAsync(context);
            newModels.Enqueue(model);
            await AnswerAsync(context, model);
        });
        var directory = Directory.CreateTempSubdirectory("rightsize-config-");
        try
        {
            var file = Path.Combine(directory.FullName, "appsettings.json");
            await File.WriteAllTextAsync(file, Settings("old", oldUpstream.BaseUrl));
            await using var gateway = await GatewayApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--config-dir", directory.FullName], builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RightSize:Classifier:ModelPath"] = "", ["Serilog:MinimumLevel:Default"] = "Warning" }));
            await gateway.App.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(gateway.App.Urls.First().TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };

            var inFlight = http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("pinned", "hi", ",\"stream\":true")));
            await smallReceived.Task.WaitAsync(ReloadWait);
            await ReplaceAtomicallyAsync(file, Settings("new", newUpstream.BaseUrl));
            await WaitForGenerationAsync(http, 2);

            using (var after = await http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("pinned", "hi", ",\"stream\":true"))))
            {
                Assert.Equal(HttpStatusCode.OK, after.StatusCode);
                Assert.Equal("new-small", Json.Header(after, "x-rightsize-model"));
            }

            releaseSmall.SetResult();
            using var before = await inFlight;
            var text = await before.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal("old-mid", Json.Header(before, "x-rightsize-model"));
            Assert.Equal("fallback:upstream-503", Json.Header(before, "x-rightsize-reason"));
            Assert.Contains("\"model\":\"old-mid\"", text, StringComparison.Ordinal);
            Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
            Assert.Equal(["old-small", "old-mid"], oldModels);
            Assert.Equal(["new-small"], newModels);
        }
        finally
        {
            releaseSmall.TrySetResult();
            directory.Delete(recursive: true);
        }
    }

    private static string Settings(string prefix, string baseUrl) => $$"""
        {
          "RightSize": {
            "Upstreams": { "{{prefix}}": { "BaseUrl": "{{baseUrl}}" } },
            "Tiers": {
              "small": { "Upstream": "{{prefix}}", "Model": "{{prefix}}-small" },
              "mid": { "Upstream": "{{prefix}}", "Model": "{{prefix}}-mid" },
              "frontier": { "Upstream": "{{prefix}}", "Model": "{{prefix}}-frontier" }
            },
            "Routes": { "pinned": { "Tier": "small" } }
          }
        }
        """;

    /// <summary>Writes beside the file and renames over it, so the gateway never reads half a file.</summary>
    private static async Task ReplaceAtomicallyAsync(string file, string json)
    {
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, json);
        File.Move(temporary, file, overwrite: true);
    }

    private static async Task WaitForGenerationAsync(HttpClient http, int generation)
    {
        var deadline = DateTimeOffset.UtcNow + ReloadWait;
        while (true)
        {
            using var response = await http.GetAsync("readyz");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (body.RootElement.GetProperty("config_generation").GetInt32() >= generation) return;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"config_generation did not reach {generation} within {ReloadWait}.");
            await Task.Delay(100);
        }
    }

    private static async Task<string> ModelOfAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        return body.RootElement.GetProperty("model").GetString()!;
    }

    private static async Task AnswerAsync(HttpContext context, string model)
    {
        context.Response.ContentType = "text/event-stream";
        var chunk = $$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"{{model}}","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}""";
        await context.Response.WriteAsync($"data: {chunk}\n\ndata: [DONE]\n\n");
    }
}
