using System.Text.Json;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Model;

public class ModelListWriterTests
{
    [Fact]
    public void ModelListJson_SampleConfiguration_ListsRoutesAndClaimedNamesThenConcreteModelsWithoutDuplicates()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:support:Tiers:mid:Model", "gpt-4o-mini")));

        using var document = JsonDocument.Parse(snapshot.ModelListJson);

        Assert.Equal("list", document.RootElement.GetProperty("object").GetString());
        var data = document.RootElement.GetProperty("data").EnumerateArray().ToList();
        var ids = data.Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(["auto", "support", "gpt-4o"], ids.Take(3));
        Assert.Equal(
            ["gpt-4.1", "gpt-4.1-mini", "gpt-4o-mini", "llama-3.2-3b"],
            ids.Skip(3).Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(data, m => Assert.Equal("model", m.GetProperty("object").GetString()));
        Assert.Equal("rightsize", data[0].GetProperty("owned_by").GetString());
        Assert.Equal("local", data.Single(m => m.GetProperty("id").GetString() == "llama-3.2-3b").GetProperty("owned_by").GetString());
    }

    [Fact]
    public void ModelListJson_RoutesInAnyConfigurationOrder_ListsRoutesByName()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:aaa:MaxTier", "mid")));

        using var document = JsonDocument.Parse(snapshot.ModelListJson);

        var ids = document.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["aaa", "auto", "support"], ids.Take(3));
    }

    [Fact]
    public void ModelListJson_WithKeys_NeverContainsAKey()
    {
        var snapshot = SampleConfiguration.Snapshot();

        Assert.DoesNotContain(SampleConfiguration.OpenAIKey, System.Text.Encoding.UTF8.GetString(snapshot.ModelListJson));
    }
}
