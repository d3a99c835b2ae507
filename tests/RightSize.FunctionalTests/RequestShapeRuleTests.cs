using System.Net;
using System.Text.Json;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// What a request carries besides its text: image, audio and file parts (the media rule, and
/// their share of the token estimate) and the size of tool definitions (the token estimate).
/// </summary>
public sealed class RequestShapeRuleTests
{
    private static readonly string EightHighDetailImages = string.Join(",", Enumerable.Range(0, 8).Select(i =>
        $$$"""{"type":"image_url","image_url":{"url":"https://example.com/scan-{{{i}}}.png","detail":"high"}}"""));

    [Fact]
    public async Task CompleteChat_SdkImagePart_ClassifierChoseSmall_ServedByMidForTheMediaRule()
    {
        // Threshold 0: the classifier takes the cheapest tier the request may go to.
        await using var harness = await GatewayHarness.StartAsync(s =>
        {
            s["RightSize:Classifier:ModelPath"] = "models/default";
            s["RightSize:Routes:auto:Threshold"] = "0";
            s["RightSize:Routes:auto:MinConfidence"] = "0";
        });
        var chat = harness.ChatClient("auto");
        var question = ChatMessageContentPart.CreateTextPart("What is in this photo?");
        var photo = ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/photo.jpg"), ChatImageDetailLevel.High);

        var textOnly = await chat.CompleteChatAsync([new UserChatMessage(question)]);
        var withPhoto = await chat.CompleteChatAsync([new UserChatMessage(question, photo)]);

        Assert.Equal((TestUpstreams.SmallModel, "classifier"), (textOnly.Value.Model, Header(textOnly.GetRawResponse(), "x-rightsize-reason")));
        var headers = withPhoto.GetRawResponse();
        Assert.Equal(
            ("auto", "mid", TestUpstreams.MidModel, "rule:media"),
            (Header(headers, "x-rightsize-route"), Header(headers, "x-rightsize-tier"), Header(headers, "x-rightsize-model"), Header(headers, "x-rightsize-reason")));
        Assert.Matches(@"^\d\.\d{3}$", Header(headers, "x-rightsize-confidence"));
        Assert.Equal(TestUpstreams.MidModel, withPhoto.Value.Model);
        using var sent = JsonDocument.Parse(Assert.Single(harness.Upstreams.Mid.Journal.Snapshot()).Body);
        var part = sent.RootElement.GetProperty("messages")[0].GetProperty("content")[1];
        Assert.Equal("https://example.com/photo.jpg", part.GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal(1, harness.Upstreams.Small.Journal.TotalReceived);
    }

    [Fact]
    public async Task DryRun_ImagesAndFile_CountInTheEstimateAndTheMediaRule()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var pdf = "data:application/pdf;base64," + Convert.ToBase64String(new byte[1_500_000]);
        var body = $$$"""{"model":"cheap","messages":[{"role":"user","content":[{"type":"text","text":"Compare these."},{{{EightHighDetailImages}}},{"type":"file","file":{"filename":"contract.pdf","file_data":"{{{pdf}}}"}}]}]}""";

        using var response = await harness.Http.PostAsync("rightsize/route", Json.Body(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decision = await Json.ReadAsync(response);
        // "Compare these." 4 tokens, 8 images at 765, the file's 2,000,028 characters at 50 a token.
        Assert.Equal(4 + (8 * 765) + 40_001, decision.GetProperty("estimated_prompt_tokens").GetInt32());
        Assert.Equal(("mid", "rule:media"), (decision.GetProperty("tier").GetString(), decision.GetProperty("reason").GetString()));
        Assert.Equal(0, harness.Upstreams.TotalReceived);
    }

    [Fact]
    public async Task DryRun_ImagesOverLongPromptTokens_GoToFrontier()
    {
        await using var harness = await GatewayHarness.StartAsync(s => s["RightSize:Routes:auto:Rules:LongPromptTokens"] = "2000");
        var body = $$$"""{"model":"auto","messages":[{"role":"user","content":[{"type":"text","text":"Compare these."},{{{EightHighDetailImages}}}]}]}""";

        var decision = await Json.ReadAsync(await harness.Http.PostAsync("rightsize/route", Json.Body(body)));

        Assert.Equal(4 + (8 * 765), decision.GetProperty("estimated_prompt_tokens").GetInt32());
        Assert.Equal(("frontier", "rule:long-prompt"), (decision.GetProperty("tier").GetString(), decision.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Post_MediaRuleTurnedOff_CheapRouteStaysOnSmall()
    {
        await using var harness = await GatewayHarness.StartAsync(s => s["RightSize:Routes:cheap:Rules:MediaMinTier"] = "");
        var body = """{"model":"cheap","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}]}""";

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("small", "default-tier"), (Json.Header(response, "x-rightsize-tier"), Json.Header(response, "x-rightsize-reason")));
    }

    [Fact]
    public async Task DryRun_LargeToolDefinitions_CountInTheEstimate()
    {
        await using var harness = await GatewayHarness.StartAsync(s => s["RightSize:Routes:auto:Rules:LongPromptTokens"] = "20000");
        var description = JsonSerializer.Serialize(string.Concat(Enumerable.Repeat("A long description of what this field means. ", 10)));
        var properties = string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"f{i}\":{{\"type\":\"string\",\"description\":{description}}}"));
        var tools = "[" + string.Join(",", Enumerable.Range(0, 20).Select(t => $"{{\"type\":\"function\",\"function\":{{\"name\":\"tool_{t}\",\"parameters\":{{\"type\":\"object\",\"properties\":{{{properties}}}}}}}}}")) + "]";
        var body = $"{{\"model\":\"auto\",\"tools\":{tools},\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}";

        var decision = await Json.ReadAsync(await harness.Http.PostAsync("rightsize/route", Json.Body(body)));

        Assert.Equal(1 + ((tools.Length + 3) / 4), decision.GetProperty("estimated_prompt_tokens").GetInt32());
        Assert.Equal(("frontier", "rule:long-prompt"), (decision.GetProperty("tier").GetString(), decision.GetProperty("reason").GetString()));
    }

    private static string Header(System.ClientModel.Primitives.PipelineResponse response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value! : string.Empty;
}
