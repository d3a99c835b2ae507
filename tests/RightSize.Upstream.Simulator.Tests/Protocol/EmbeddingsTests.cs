using System.Buffers.Binary;
using System.Net;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Protocol;

public class EmbeddingsTests
{
    private static float[] Vector(System.Text.Json.JsonElement item)
        => item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    [Fact]
    public async Task PostEmbeddings_SameInput_ReturnsSameUnitVectorOfEightDims()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("embed"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        const string Body = """{"model":"embed","input":["alpha","beta","alpha"]}""";

        using var response = await Sim.SendAsync(client, Sim.Post("embeddings", Body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Sim.JsonAsync(response);
        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.Equal("embed", json.GetProperty("model").GetString());
        var data = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3, data.Count);
        Assert.Equal([0, 1, 2], data.Select(d => d.GetProperty("index").GetInt32()));
        var alpha = Vector(data[0]);
        Assert.Equal(8, alpha.Length);
        Assert.Equal(alpha, Vector(data[2]));
        Assert.NotEqual(alpha, Vector(data[1]));
        Assert.InRange(alpha.Sum(v => v * v), 0.999f, 1.001f);
        Assert.True(json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
    }

    [Theory]
    [InlineData("[15339,1917]", 1)]
    [InlineData("[[15339,1917],[1917]]", 2)]
    [InlineData("[\"alpha\",\"beta\"]", 2)]
    public async Task PostEmbeddings_TokenArrays_OneEmbeddingPerInputAsOpenAI(string input, int expected)
    {
        // OpenAI: "a string or array of tokens"; several inputs are an array of strings or of token arrays.
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("embed"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("embeddings", $$"""{"model":"embed","input":{{input}}}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await Sim.JsonAsync(response)).GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"alpha\",15339]")]
    [InlineData("[{\"text\":\"alpha\"}]")]
    [InlineData("42")]
    public async Task PostEmbeddings_InputNeitherTextNorTokens_Returns400NamingInput(string input)
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("embed"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("embeddings", $$"""{"model":"embed","input":{{input}}}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", (await Sim.JsonAsync(response)).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task PostEmbeddings_Base64WithDimensions_DecodesToSameVectorAsFloats()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("embed"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var floats = await Sim.SendAsync(client, Sim.Post("embeddings", """{"model":"embed","input":"gamma","dimensions":12}"""), TestContext.Current.CancellationToken);
        using var base64 = await Sim.SendAsync(client, Sim.Post("embeddings", """{"model":"embed","input":"gamma","dimensions":12,"encoding_format":"base64"}"""), TestContext.Current.CancellationToken);

        var expected = Vector((await Sim.JsonAsync(floats)).GetProperty("data")[0]);
        var bytes = Convert.FromBase64String((await Sim.JsonAsync(base64)).GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(12, expected.Length);
        Assert.Equal(expected, decoded);
    }
}
