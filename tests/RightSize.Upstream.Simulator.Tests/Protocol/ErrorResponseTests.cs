using System.Net;
using System.Text.Json;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Protocol;

public class ErrorResponseTests
{
    private static void AssertErrorShape(JsonElement json, string type, string? code)
    {
        var error = json.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("param", out _));
        if (code is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
        }
        else
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task PostChat_UnknownModel_Returns404ModelNotFound()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("gpt-9", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var json = await Sim.JsonAsync(response);
        AssertErrorShape(json, "invalid_request_error", "model_not_found");
        Assert.Contains("gpt-9", json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task PostChat_NoModelsConfigured_AcceptsAnyModel()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(new SimulatorOptions(), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("whatever-7b", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task PostChat_WrongOrMissingApiKey_Returns401(string? key)
    {
        var options = Sim.Options("small");
        options.RequiredApiKey = "sk-upstream";
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        using var request = Sim.Post("chat/completions", Sim.ChatBody("small", "hi"));
        if (key is not null)
        {
            request.Headers.Authorization = Sim.Bearer(key);
        }

        using var response = await Sim.SendAsync(client, request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertErrorShape(await Sim.JsonAsync(response), "invalid_request_error", "invalid_api_key");
    }

    [Fact]
    public async Task PostChat_RightApiKey_Returns200()
    {
        var options = Sim.Options("small");
        options.RequiredApiKey = "sk-upstream";
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        using var request = Sim.Post("chat/completions", Sim.ChatBody("small", "hi"));
        request.Headers.Authorization = Sim.Bearer("sk-upstream");

        using var response = await Sim.SendAsync(client, request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"model\":")]
    [InlineData("[1,2]")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData("{\"model\":\"small\",\"messages\":[]}")]
    public async Task PostChat_BadBody_Returns400InvalidRequest(string body)
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertErrorShape(await Sim.JsonAsync(response), "invalid_request_error", null);
    }

    [Theory]
    [InlineData("chat/completions", """{"model":"small","messages":[{"role":"user","content":"half a pair \ud800 here"}]}""")]
    [InlineData("chat/completions", """{"model":"small","messages":[{"role":"user","content":[{"type":"text","text":"\udc00"}]}]}""")]
    [InlineData("chat/completions", """{"model":"sm\ud800all","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("completions", """{"model":"small","prompt":"\ud800"}""")]
    [InlineData("embeddings", """{"model":"small","input":["ok","\ud800"]}""")]
    [InlineData("chat/completions", """{"model":"small","user":"\ud800","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("chat/completions", """{"model":"small","messages":[{"role":"system","content":"\ud800"},{"role":"user","content":"hi"}]}""")]
    [InlineData("chat/completions", """{"model":"small","messages":[{"role":"user","content":"hi","name":"\udc00"}]}""")]
    [InlineData("chat/completions", """{"model":"small","metadata":{"\ud800":"key"},"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("embeddings", """{"model":"small","input":"ok","user":"x\udc00y"}""")]
    public async Task Post_StringWithLoneSurrogateEscape_Returns400InOpenAIShapeNot500(string path, string body)
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post(path, body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertErrorShape(await Sim.JsonAsync(response), "invalid_request_error", null);
    }

    [Theory]
    [InlineData("{\"model\":\"small\",\"messages\":[{\"role\":\"user\",\"content\":\"bad ", "\"}]}")]
    [InlineData("{\"model\":\"small\",\"user\":\"bad ", "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData("{\"model\":\"small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"bad ", "\":1}")]
    public async Task PostChat_BodyNotValidUtf8_Returns400InOpenAIShapeNot500(string before, string after)
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        byte[] body = [.. System.Text.Encoding.UTF8.GetBytes(before), 0xFF, 0xFE, .. System.Text.Encoding.UTF8.GetBytes(after)];
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");

        using var response = await Sim.SendAsync(client, request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertErrorShape(await Sim.JsonAsync(response), "invalid_request_error", null);
    }

    [Fact]
    public async Task Get_UnknownV1Path_Returns404InOpenAIShape()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await client.GetAsync("assistants", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertErrorShape(await Sim.JsonAsync(response), "invalid_request_error", "unknown_url");
    }
}
