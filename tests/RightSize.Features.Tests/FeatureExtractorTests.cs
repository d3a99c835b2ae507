using RightSize.OpenAI.Chat;

namespace RightSize.Features.Tests;

public class FeatureExtractorTests
{
    private static SparseFeatures Extract(ChatPrompt prompt, FeatureExtractor? extractor = null)
    {
        var output = new SparseFeatures(4);
        (extractor ?? FeatureExtractor.Default).Extract(prompt, output);
        return output;
    }

    private static float Slot(SparseFeatures f, StructuralSlot slot)
    {
        var i = f.IndicesSpan.BinarySearch((long)slot);
        return i >= 0 ? f.ValuesSpan[i] : 0f;
    }

    [Fact]
    public void Extract_SamePromptTwice_GivesIdenticalFeatures()
    {
        var prompt = new ChatPrompt([new ChatTurn("system", "You are terse."), new ChatTurn("user", "Explain why the sky is blue, step by step.")], 2, "json_object", 300);
        var a = Extract(prompt);
        var b = Extract(prompt);
        Assert.Equal(a.IndicesSpan.ToArray(), b.IndicesSpan.ToArray());
        Assert.Equal(a.ValuesSpan.ToArray(), b.ValuesSpan.ToArray());
    }

    [Fact]
    public void Extract_ReusedBuffer_ClearsPreviousFeatures()
    {
        var output = new SparseFeatures();
        FeatureExtractor.Default.Extract(ChatPrompt.FromUserText(new string('x', 5000) + " long words everywhere"), output);
        FeatureExtractor.Default.Extract(ChatPrompt.FromUserText("hi"), output);
        var fresh = Extract(ChatPrompt.FromUserText("hi"));
        Assert.Equal(fresh.IndicesSpan.ToArray(), output.IndicesSpan.ToArray());
        Assert.Equal(fresh.ValuesSpan.ToArray(), output.ValuesSpan.ToArray());
    }

    [Fact]
    public void Extract_ManySystemMessages_OnlyTheNewestFewAreRead()
    {
        var limit = FeatureExtractor.Default.Options.SystemTurns;
        var systems = Enumerable.Range(0, limit + 6).Select(i => new ChatTurn(i % 2 == 0 ? "system" : "developer", $"rule {(char)('a' + i)} applies to everything")).ToList(); // a word of its own per turn (digits all hash as 0)
        var user = new ChatTurn("user", "What should I do?");

        var all = Extract(new ChatPrompt([.. systems, user], 0, null, null));
        var newest = Extract(new ChatPrompt([.. systems.TakeLast(limit), user], 0, null, null));
        var fewer = Extract(new ChatPrompt([.. systems.TakeLast(limit - 1), user], 0, null, null));

        // The structural slots count every turn, so compare the hashed part only.
        Assert.Equal(Hashed(newest), Hashed(all));
        Assert.NotEqual(Hashed(fewer), Hashed(all));
    }

    private static (long, float)[] Pairs(SparseFeatures f)
    {
        var pairs = new (long, float)[f.Count];
        for (var i = 0; i < f.Count; i++) pairs[i] = (f.IndicesSpan[i], f.ValuesSpan[i]);
        return pairs;
    }

    [Fact]
    public void Extract_WordRepeatedPast65535Times_CountsAs65535()
    {
        // Only caps far above the defaults let one key repeat this often (the defaults read at most
        // about 47,000 keys per prompt), so counts stop at 65,535 instead of growing the count table.
        var extractor = new FeatureExtractor(FeatureExtractorOptions.Default with { WordHeadChars = 400_000, WordTailChars = 0 });
        ChatPrompt Repeated(int times) => ChatPrompt.FromUserText("b " + string.Concat(Enumerable.Repeat("a ", times)));

        Assert.Equal(Hashed(Extract(Repeated(70_000), extractor)), Hashed(Extract(Repeated(80_000), extractor)));
        Assert.NotEqual(Hashed(Extract(Repeated(3_000), extractor)), Hashed(Extract(Repeated(4_000), extractor)));
    }

    private static (long, float)[] Hashed(SparseFeatures f)
    {
        var pairs = new List<(long, float)>();
        for (var i = 0; i < f.Count; i++)
        {
            if (f.IndicesSpan[i] >= FeatureExtractor.ReservedSlots) pairs.Add((f.IndicesSpan[i], f.ValuesSpan[i]));
        }

        return [.. pairs];
    }

    [Fact]
    public void Extract_RepeatedWords_IndicesUniqueSortedAndInRange()
    {
        var f = Extract(ChatPrompt.FromUserText(string.Concat(Enumerable.Repeat("the cat the cat sat. ", 200))));
        var indices = f.IndicesSpan;
        Assert.True(indices.Length > 10);
        for (var i = 1; i < indices.Length; i++) Assert.True(indices[i] > indices[i - 1], $"index {i} not ascending");
        Assert.True(indices[^1] < FeatureExtractor.Default.Schema.Dimension);
        foreach (var v in f.ValuesSpan) Assert.True(float.IsFinite(v) && v > 0f);
    }

    [Fact]
    public void Extract_HashedBlocks_AreL2NormalisedToTheirWeight()
    {
        // One block only (no system, no history): words and chars each have norm 1, so the
        // squared sum of hashed values is about 2 (collisions between the two blocks aside).
        var f = Extract(ChatPrompt.FromUserText("a quick brown fox jumps over the lazy dog"));
        var sum = 0.0;
        for (var i = 0; i < f.Count; i++)
        {
            if (f.IndicesSpan[i] >= FeatureExtractor.ReservedSlots) sum += f.ValuesSpan[i] * f.ValuesSpan[i];
        }

        Assert.InRange(sum, 1.9, 2.1);
    }

    [Fact]
    public void Extract_DifferentWords_GiveDifferentFeatures()
    {
        var a = Extract(ChatPrompt.FromUserText("What is the capital of France?"));
        var b = Extract(ChatPrompt.FromUserText("Prove that there are infinitely many primes."));
        Assert.NotEqual(a.IndicesSpan.ToArray(), b.IndicesSpan.ToArray());
    }

    [Fact]
    public void Extract_CaseAndDigits_AreNormalised()
    {
        var a = Extract(ChatPrompt.FromUserText("Add 12 and 345"));
        var b = Extract(ChatPrompt.FromUserText("add 98 AND 761"));
        Assert.Equal(a.IndicesSpan.ToArray(), b.IndicesSpan.ToArray());
    }

    [Fact]
    public void Extract_EmptyAndOddPrompts_DoNotThrow()
    {
        Assert.True(Extract(new ChatPrompt([])).Count >= 1);
        Assert.True(Extract(ChatPrompt.FromUserText(string.Empty)).Count >= 1);
        Assert.True(Extract(new ChatPrompt([new ChatTurn("assistant", "only me")])).Count > 1);
        Assert.True(Extract(ChatPrompt.FromUserText("日本語のテキスト 🤖🤖 ∑∫√ Ελληνικά\u0000\uD800")).Count > 1);
        Assert.True(Extract(new ChatPrompt([new ChatTurn("user", null!)])).Count >= 1);
    }

    [Fact]
    public void Extract_HugePrompt_IsCappedAndStillCorrect()
    {
        var huge = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet 42; ", 8000));
        var f = Extract(ChatPrompt.FromUserText(huge));
        Assert.Equal(1f, Slot(f, StructuralSlot.LastUserLenHuge));
        Assert.True(f.Count < 20_000);
    }

    public static TheoryData<string> Pathological => ["5mb", "20000turns", "5000tools", "digits", "whitespace", "unicode", "longword"];

    private static ChatPrompt PathologicalPrompt(string name) => name switch
    {
        "5mb" => ChatPrompt.FromUserText(string.Concat(Enumerable.Repeat("Explain why 2+2=4, step by step. ", 160_000))),
        "20000turns" => new ChatPrompt([.. Enumerable.Range(0, 20_000).Select(i => new ChatTurn(i % 3 == 0 ? "system" : i % 2 == 0 ? "user" : "assistant", $"turn {i}"))]),
        "5000tools" => new ChatPrompt([new ChatTurn("user", "call them all")], 5_000, "json_schema", int.MaxValue),
        "digits" => ChatPrompt.FromUserText(new string('7', 1_000_000)),
        "whitespace" => ChatPrompt.FromUserText(string.Concat(Enumerable.Repeat(" \t\r\n\u00A0\u3000\u2028", 100_000))),
        "unicode" => ChatPrompt.FromUserText(string.Concat(Enumerable.Repeat("😀\uD835\uDD38 e\u0301\u0302 שלום مرحبا \u202E\u0000\uDC00\uD800", 50_000))),
        "longword" => ChatPrompt.FromUserText(new string('w', 2_000_000) + " end?"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Pathological))]
    public void Extract_PathologicalRequest_GivesValidRepeatableFeatures(string name)
    {
        var prompt = PathologicalPrompt(name);
        var first = Extract(prompt);
        var indices = first.IndicesSpan;
        Assert.Equal(1f, Slot(first, StructuralSlot.Bias));
        for (var i = 1; i < indices.Length; i++) Assert.True(indices[i] > indices[i - 1], $"index {i} not ascending");
        Assert.True(indices[^1] < FeatureExtractor.Default.Schema.Dimension);
        foreach (var v in first.ValuesSpan) Assert.True(float.IsFinite(v) && v > 0f, $"value {v}");
        Assert.Equal(Pairs(first), Pairs(Extract(prompt)));
    }

    [Fact]
    public void Extract_ParallelCalls_AgreeWithSequential()
    {
        var prompts = Enumerable.Range(0, 64).Select(i => ChatPrompt.FromUserText($"prompt number {i} with words {new string('z', i)}")).ToArray();
        var expected = prompts.Select(p => Pairs(Extract(p))).ToArray();
        var actual = new (long, float)[prompts.Length][];
        Parallel.For(0, prompts.Length, i => actual[i] = Pairs(Extract(prompts[i])));
        Assert.Equal(expected, actual);
    }
}
