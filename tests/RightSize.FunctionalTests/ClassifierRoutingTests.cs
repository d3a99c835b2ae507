using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RightSize.Classification;
using RightSize.Classification.Models;
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

    [Fact]
    public async Task Readyz_WithAModel_NamesWhichModelBeyondItsDirectory()
    {
        // A retrain into the same directory keeps the name "default": the manifest's creation time
        // and data hash, and the hash of model.onnx (as sha256sum prints it), tell the two apart.
        await using var harness = await GatewayHarness.StartAsync(s => s["RightSize:Classifier:ModelPath"] = ModelPath);
        var directory = Path.Combine(AppContext.BaseDirectory, ModelPath);
        var manifest = ModelManifest.Read(Path.Combine(directory, ModelFiles.Manifest));
        var onnxSha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(directory, ModelFiles.Model), TestContext.Current.CancellationToken)));

        var classifier = (await Json.ReadAsync(await harness.Http.GetAsync("readyz"))).GetProperty("classifier");

        Assert.True(classifier.GetProperty("loaded").GetBoolean());
        Assert.Equal("default", classifier.GetProperty("model").GetString());
        Assert.Equal(manifest.FeatureSchema.Hash, classifier.GetProperty("feature_schema").GetString());
        Assert.Equal(manifest.CreatedAt!.Value, classifier.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(manifest.DataHash, classifier.GetProperty("data_hash").GetString());
        Assert.Equal(onnxSha256, classifier.GetProperty("model_sha256").GetString());
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
    public async Task DryRun_ManyInParallel_MatchesSequentialAnswersAndTheRealRequests()
    {
        await using var harness = await GatewayHarness.StartAsync(s => s["RightSize:Classifier:ModelPath"] = ModelPath);
        string[] prompts =
        [
            "Translate good morning into Spanish.",
            "Hello! How are you today?",
            "Prove that there are infinitely many primes p such that p+2 is also prime, step by step.",
            "Write a Python function that merges two sorted lists.",
            "What is the capital of France?",
            "Derive the closed form of the integral of x^2 e^x dx and explain why each step holds.",
            "Summarize this: the meeting moved to Tuesday.",
            "Which of these is a mammal? A) shark B) whale C) trout D) squid E) crab",
        ];
        var bodies = Enumerable.Range(0, 48).Select(i => Json.Chat("auto", $"{prompts[i % prompts.Length]} ({i % 6})")).ToArray();
        var sequential = new DryRunDecision[bodies.Length];
        for (var i = 0; i < bodies.Length; i++) sequential[i] = await DryRunAsync(harness, bodies[i]);

        var parallel = await Task.WhenAll(bodies.Select(body => Task.Run(() => DryRunAsync(harness, body))));
        var real = await Task.WhenAll(bodies.Select(body => Task.Run(() => DecisionHeadersAsync(harness, body))));

        Assert.Equal(sequential, parallel);
        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal((sequential[i].Tier, sequential[i].Reason), (real[i].Tier, real[i].Reason));
            Assert.Equal(sequential[i].Confidence, real[i].Confidence, 0.0006); // 4 decimals in the dry run, 3 in the header
        }
    }

    private sealed record DryRunDecision(string Tier, string Reason, double Confidence, double Small, double Mid);

    private static async Task<DryRunDecision> DryRunAsync(GatewayHarness harness, string body)
    {
        using var response = await harness.Http.PostAsync("rightsize/route", Json.Body(body));
        var d = await Json.ReadAsync(response);
        var p = d.GetProperty("probabilities");
        return new(d.GetProperty("tier").GetString()!, d.GetProperty("reason").GetString()!, d.GetProperty("confidence").GetDouble(), p.GetProperty("small").GetDouble(), p.GetProperty("mid").GetDouble());
    }

    private static async Task<(string Tier, string Reason, double Confidence)> DecisionHeadersAsync(GatewayHarness harness, string body)
    {
        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var confidence = double.Parse(Json.Header(response, "x-rightsize-confidence"), CultureInfo.InvariantCulture);
        return (Json.Header(response, "x-rightsize-tier"), Json.Header(response, "x-rightsize-reason"), confidence);
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
