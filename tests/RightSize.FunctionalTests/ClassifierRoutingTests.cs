using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using RightSize.Classification;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>Routes without a fixed tier use the shipped ONNX classifier; its confidence drives low-confidence escalation.</summary>
public sealed class ClassifierRoutingTests
{
    private const string ModelPath = "models/default";

    [Fact]
    public async Task DryRun_WithDefaultModel_ReturnsCalibratedMonotoneProbabilities()
    {
        await using var harness = await GatewayHarness.StartAsync(s => s["RightSize:Classifier:ModelPath"] = ModelPath);

        var decision = await Json.ReadAsync(await harness.Http.PostAsync("rightsize/route", Json.Body(Json.Chat("auto", "Prove that the square root of 2 is irrational."))));

        var small = decision.GetProperty("probabilities").GetProperty("small").GetDouble();
        var mid = decision.GetProperty("probabilities").GetProperty("mid").GetDouble();
        Assert.InRange(small, 0, 1);
        Assert.InRange(mid, 0, 1);
        Assert.True(small <= mid, $"P(small) {small} must not exceed P(mid) {mid}");
        Assert.Equal("default", decision.GetProperty("classifier_model").GetString());
        Assert.True(decision.GetProperty("decision_time_us").GetDouble() > 0);
        Assert.Contains(decision.GetProperty("reason").GetString(), new[] { "classifier", "low-confidence" });
        Assert.Equal(0, harness.Upstreams.TotalReceived);
    }

    [Theory]
    [InlineData("0", "1", "frontier", "low-confidence")]
    [InlineData("0", "0", "small", "classifier")]
    [InlineData("1", "0", "frontier", "classifier")]
    public async Task Post_ThresholdAndMinConfidence_DecideTierAndReason(string threshold, string minConfidence, string tier, string reason)
    {
        await using var harness = await GatewayHarness.StartAsync(s =>
        {
            s["RightSize:Classifier:ModelPath"] = ModelPath;
            s["RightSize:Routes:auto:Threshold"] = threshold;
            s["RightSize:Routes:auto:MinConfidence"] = minConfidence;
        });

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("auto", "What is the capital of France?")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tier, Json.Header(response, "x-rightsize-tier"));
        Assert.Equal(reason, Json.Header(response, "x-rightsize-reason"));
        Assert.True(double.TryParse(Json.Header(response, "x-rightsize-confidence"), NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence));
        Assert.InRange(confidence, 0, 1);
    }

    [Fact]
    public async Task Start_ModelWithOtherFeatureSchema_RefusedNamingTheFix()
    {
        var directory = Directory.CreateTempSubdirectory("rightsize-model-");
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, ModelPath))) File.Copy(file, Path.Combine(directory.FullName, Path.GetFileName(file)));
            var manifestPath = Path.Combine(directory.FullName, "manifest.json");
            var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
            manifest["featureSchema"]!["hash"] = new string('0', 64);
            await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

            var failure = await Assert.ThrowsAsync<ClassifierModelException>(() => GatewayHarness.StartAsync(s => s["RightSize:Classifier:ModelPath"] = directory.FullName));

            Assert.Contains(new string('0', 64), failure.Message, StringComparison.Ordinal);
            Assert.Contains("Retrain", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
