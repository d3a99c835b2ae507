using System.Net;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Protocol;

public class ModelsTests
{
    [Fact]
    public async Task GetModels_ConfiguredModels_ListsEachInOpenAIShape()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small", "mid", "frontier"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await client.GetAsync("models", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Sim.JsonAsync(response);
        Assert.Equal("list", json.GetProperty("object").GetString());
        var data = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["small", "mid", "frontier"], data.Select(d => d.GetProperty("id").GetString()));
        Assert.All(data, d => Assert.Equal("model", d.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task GetModel_KnownAndUnknown_Returns200And404()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("org/small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var known = await client.GetAsync("models/org/small", TestContext.Current.CancellationToken);
        using var unknown = await client.GetAsync("models/other", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal("org/small", (await Sim.JsonAsync(known)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("models/org%2Fsmall", "org/small")]
    [InlineData("models/org%2fsmall", "org/small")]
    [InlineData("models/pct%2541", "pct%41")]
    public async Task GetModel_EscapedId_DecodesItOnce(string path, string id)
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options(id), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (await Sim.JsonAsync(response)).GetProperty("id").GetString());
    }
}
