using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.OpenAI.Chat;
using RightSize.Training.Model;

namespace RightSize.Classification.Tests.Onnx;

public sealed class OnnxDifficultyClassifierTests
{
    private static readonly FeatureExtractor Extractor = TestModelDirectory.SmallExtractor;

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void VerifyGoldenVectors_ModelWrittenLikeTheTrainer_WithinTolerance(int hiddenSize)
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, hiddenSize, seed: 21);
        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);

        var result = classifier.VerifyGoldenVectors();

        Assert.Equal(TestModelDirectory.Prompts.Count, result.Count);
        Assert.True(result.IsWithin(), $"max deviation {result.MaxDeviation} at vector {result.WorstIndex}");
    }

    [Fact]
    public void VerifyGoldenVectors_TamperedExpectation_ReportsTheDeviation()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 22);
        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);
        var vectors = GoldenVectors.Read(dir.File(ModelFiles.GoldenVectors)).ToList();
        vectors[2] = vectors[2] with { P = [vectors[2].P[0], vectors[2].P[1] + 0.01f] };

        var result = classifier.VerifyGoldenVectors(vectors);

        Assert.False(result.IsWithin());
        Assert.Equal(2, result.WorstIndex);
        Assert.InRange(result.MaxDeviation, 0.009, 0.011);
    }

    [Fact]
    public void VerifyGoldenVectors_NoGoldenFile_ChecksNothing()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 34);
        File.Delete(dir.File(ModelFiles.GoldenVectors));
        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);

        var result = classifier.VerifyGoldenVectors();

        Assert.Equal(0, result.Count);
        Assert.False(result.IsWithin());
    }

    [Fact]
    public void LoadVerified_TamperedGoldenFile_IsRefusedNamingTheFile()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 35);
        var golden = dir.File(ModelFiles.GoldenVectors);
        var vectors = GoldenVectors.Read(golden).ToList();
        vectors[1] = vectors[1] with { P = [vectors[1].P[0] + 0.01f, vectors[1].P[1]] };
        GoldenVectors.Write(golden, vectors);

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.LoadVerified(dir.Path, Extractor));
        var withHint = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.LoadVerified(dir.Path, Extractor, howToSkip: "set Skip=true"));

        Assert.StartsWith($"{golden}: the model disagrees with its own golden vectors (max deviation ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Retrain it.", ex.Message, StringComparison.Ordinal); // the CLI has no switch to offer
        Assert.EndsWith("Retrain it, or set Skip=true.", withHint.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadVerified_NoGoldenFile_Loads()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 36);
        File.Delete(dir.File(ModelFiles.GoldenVectors));

        using var classifier = OnnxDifficultyClassifier.LoadVerified(dir.Path, Extractor);

        Assert.Equal(Extractor.Schema.Hash, classifier.Model.FeatureSchemaHash);
    }

    [Fact]
    public void Predict_AfterDispose_ThrowsInsteadOfCallingIntoTheReleasedSession()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 16, seed: 21);
        var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);

        classifier.Dispose();

        Assert.Throws<ObjectDisposedException>(() => classifier.Predict(ChatPrompt.FromUserText("hi")));
        classifier.Dispose(); // twice is harmless
    }

    [Fact]
    public async Task Dispose_WhileCallsAreInFlight_WaitsForThemAndLaterCallsThrow()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 16, seed: 21);
        var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);
        var prompt = TestModelDirectory.Prompts[4];
        var answering = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var callers = answering.Select(first => Task.Run(() =>
        {
            while (true)
            {
                try
                {
                    classifier.Predict(prompt);
                    first.TrySetResult();
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();

        // Every caller has answered and is calling again in a loop: Dispose lands among calls in flight.
        await Task.WhenAll(answering.Select(a => a.Task)).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        classifier.Dispose();

        // A call cut short by the disposal would fail with something other than ObjectDisposedException
        // (or crash the process), and fault its caller here.
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Throws<ObjectDisposedException>(() => classifier.Predict(prompt));
    }

    [Fact]
    public void Load_ModelFilePath_LoadsItsDirectory()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 23);

        using var classifier = OnnxDifficultyClassifier.Load(dir.File(ModelFiles.Model), Extractor);

        Assert.Equal(dir.File(ModelFiles.Model), classifier.Model.Path);
        Assert.Equal(Extractor.Schema.Hash, classifier.Model.FeatureSchemaHash);
    }

    [Fact]
    public void Load_DifferentSchemaHash_IsRefusedNamingBothHashesAndTheFix()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 24, m => m with { FeatureSchema = m.FeatureSchema with { Hash = "0badc0ffee" } });

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains("0badc0ffee", ex.Message);
        Assert.Contains(Extractor.Schema.Hash, ex.Message);
        Assert.Contains("Retrain", ex.Message);
        Assert.Contains("gateway version", ex.Message);
    }

    [Fact]
    public void Load_ModelRecordingThePreProbeHash_Loads()
    {
        // Trained before the probe digest joined the schema hash: the same v2 features, another hash.
        using var dir = new TempDirectory();
        var preProbe = Assert.IsType<string>(Extractor.Schema.PreProbeHash);
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 26, m => m with { FeatureSchema = m.FeatureSchema with { Hash = preProbe } });

        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);

        Assert.Equal(preProbe, classifier.Model.FeatureSchemaHash);
    }

    [Fact]
    public void Load_ModelFromAnotherExtractor_IsRefused()
    {
        using var dir = new TempDirectory();
        var other = new FeatureExtractor(FeatureExtractorOptions.Default with { HashBits = 9 });
        TestModelDirectory.Write(dir.Path, other, 0, seed: 25);

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains(other.Schema.Hash, ex.Message);
        Assert.Contains(Extractor.Schema.Hash, ex.Message);
    }

    [Fact]
    public void Load_DimensionDiffers_IsRefused()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 26, m => m with { Input = m.Input with { Dimension = 12 } });

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains("dimension 12", ex.Message);
    }

    [Fact]
    public void Load_MissingManifest_SaysWhatIsMissing()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 27);
        File.Delete(dir.File(ModelFiles.Manifest));

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains(ModelFiles.Manifest, ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Load_CorruptModel_SaysTheFileIsNotAnOnnxModel()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 28);
        File.WriteAllText(dir.File(ModelFiles.Model), "not a model");

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains(ModelFiles.Model, ex.Message);
        Assert.Contains("corrupt", ex.Message);
    }

    [Fact]
    public void Load_MissingDirectory_SaysHowToGetAModel()
    {
        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load("/nonexistent/rightsize-model", Extractor));

        Assert.Contains("rightsize train", ex.Message);
    }

    [Fact]
    public void Load_ModelFilePathWhoseFileIsMissing_SaysTheFileIsMissingNotTheDirectory()
    {
        // Classifier:ModelPath names the file (the shipped appsettings does); the directory exists.
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 30);
        File.Delete(dir.File(ModelFiles.Model));

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.File(ModelFiles.Model), Extractor));

        Assert.StartsWith($"The model file '{dir.File(ModelFiles.Model)}' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelFilePathInMissingDirectory_NamesTheDirectory()
    {
        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load("/nonexistent/rightsize-model/model.onnx", Extractor));

        Assert.StartsWith("The model directory '/nonexistent/rightsize-model' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongOutputName_IsRefused()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 29, m => m with { Output = "probabilities" });

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains("'probabilities'", ex.Message);
    }

    [Fact]
    public void Predict_ManyThreads_GivesTheSequentialAnswers()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 8, seed: 30);
        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);
        var prompts = Enumerable.Range(0, 64)
            .Select(i => ChatPrompt.FromUserText($"Request {i}: " + string.Concat(Enumerable.Repeat("explain step " + i + " of the proof. ", i % 13 + 1))))
            .ToArray();
        var sequential = prompts.Select(classifier.Predict).ToArray();

        var concurrent = new TierProbabilities[8][];
        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var results = new TierProbabilities[prompts.Length];
            for (var round = 0; round < 20; round++)
            {
                for (var i = 0; i < prompts.Length; i++) results[(i + (t * 7)) % prompts.Length] = classifier.Predict(prompts[(i + (t * 7)) % prompts.Length]);
            }

            concurrent[t] = results;
        });

        foreach (var results in concurrent) Assert.Equal(sequential, results);
    }

    [Fact]
    public void Predict_SteadyState_AllocatesLittle()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 8, seed: 31);
        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);
        var prompt = TestModelDirectory.Prompts[3];
        for (var i = 0; i < 50; i++) classifier.Predict(prompt);

        const int Calls = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++) classifier.Predict(prompt);
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;

        Assert.InRange(perCall, 0, 512);
    }

    [Fact]
    public void Predict_Probabilities_AreMonotone()
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 4, seed: 32);
        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);

        foreach (var prompt in TestModelDirectory.Prompts)
        {
            var p = classifier.Predict(prompt);
            Assert.True(p.Small <= p.Mid, $"{p.Small} > {p.Mid}");
            Assert.InRange(p.Mid, 0f, 1f);
        }
    }

    [Fact]
    public void Predict_MatchesReferenceForwardOnTheSameFeatures()
    {
        using var dir = new TempDirectory();
        var model = TestModelDirectory.Write(dir.Path, Extractor, 16, seed: 33);
        using var classifier = OnnxDifficultyClassifier.Load(dir.Path, Extractor);
        var features = new SparseFeatures();
        var expected = new float[2];

        foreach (var prompt in TestModelDirectory.Prompts)
        {
            Extractor.Extract(prompt, features);
            SparseModelForward.Predict(model, features.IndicesSpan, features.ValuesSpan, expected);
            var p = classifier.Predict(prompt);
            Assert.Equal(expected[0], p.Small, 1e-5);
            Assert.Equal(expected[1], p.Mid, 1e-5);
        }
    }
}
