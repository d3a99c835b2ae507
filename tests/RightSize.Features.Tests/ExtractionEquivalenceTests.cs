using System.Runtime.Intrinsics;
using System.Text;
using RightSize.OpenAI.Chat;

namespace RightSize.Features.Tests;

/// <summary>
/// Pins the exact output (indices and the bits of every value) of the extractor over a seeded
/// corpus of varied prompts, for the default options and a few others (expressed against the
/// first shipped option set, <see cref="CharThreeToFive"/>, so their pins outlive a change of
/// default). Speed work on the extractor must leave these unchanged: the shipped model and its
/// golden vectors depend on them.
/// If one fails on purpose, bump <see cref="FeatureExtractorOptions.Version"/> and retrain.
/// </summary>
public class ExtractionEquivalenceTests
{
    public static TheoryData<string, ulong> OptionSets => new()
    {
        { "default", 5874501748042484308UL },
        { "char3-5", 14613300217838349991UL },
        { "char4-4", 5603081311560249484UL },
        { "char3-4", 11736723669027532776UL },
        { "char1-8", 4838964622130932198UL },
        { "char2-2", 6035990159254256175UL },
        { "smallCaps", 5602494356788888312UL },
        { "noCharText", 12431689793004724681UL },
        { "hash19", 9228735368074155408UL },
    };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Extract_SeededCorpus_MatchesBitExactFingerprint(string name, ulong expected)
    {
        // Seen only with the runner's -diagnostics: OtherInstructionSetTests checks it in its child runs.
        TestContext.Current.SendDiagnosticMessage($"widest vector: {WidestVectorBits} bits");
        var extractor = new FeatureExtractor(Options(name));
        var output = new SparseFeatures(8);
        var h = 14695981039346656037UL;
        foreach (var prompt in Corpus())
        {
            extractor.Extract(prompt, output);
            h = Mix(h, (ulong)output.Count);
            for (var i = 0; i < output.Count; i++)
            {
                h = Mix(h, (ulong)output.IndicesSpan[i]);
                h = Mix(h, (uint)BitConverter.SingleToInt32Bits(output.ValuesSpan[i]));
            }
        }

        Assert.True(h == expected, $"fingerprint of '{name}' is {h}UL");
    }

    /// <summary>The widest vectors the runtime accelerates here: 512, 256, 128 or 0.</summary>
    public static int WidestVectorBits =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <summary>The options of the first shipped model (character 3- to 5-grams, and its caps on system and earlier turns).</summary>
    private static readonly FeatureExtractorOptions CharThreeToFive = FeatureExtractorOptions.Default with
    {
        CharNgramMin = 3, CharNgramMax = 5, SystemChars = 4_096, SystemTurns = 4, HistoryCharsPerTurn = 1_024, HistoryTurns = 8,
    };

    private static FeatureExtractorOptions Options(string name) => name switch
    {
        "default" => FeatureExtractorOptions.Default,
        "char3-5" => CharThreeToFive,
        "char4-4" => CharThreeToFive with { CharNgramMin = 4, CharNgramMax = 4 },
        "char3-4" => CharThreeToFive with { CharNgramMin = 3, CharNgramMax = 4 },
        "char1-8" => CharThreeToFive with { CharNgramMin = 1, CharNgramMax = 8 },
        "char2-2" => CharThreeToFive with { CharNgramMin = 2, CharNgramMax = 2 },
        "smallCaps" => CharThreeToFive with
        {
            WordHeadChars = 300, WordTailChars = 100, CharHeadChars = 200, CharTailChars = 0,
            SystemChars = 64, HistoryCharsPerTurn = 50, HistoryTurns = 2, StructuralScanChars = 400, MaxWordChars = 5,
        },
        "noCharText" => CharThreeToFive with { CharHeadChars = 0, CharTailChars = 0 },
        "hash19" => CharThreeToFive with { HashBits = 19 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static ulong Mix(ulong h, ulong value) => (h ^ value) * 1099511628211UL;

    private static readonly string[] Pieces =
    [
        "the", "Model", "EXPLAIN", "why", "step", "by", "prove", "that", "x^2", "=", "42", "3.14", "naïve", "Ελληνικά",
        "日本語", "🤖", "∑∫√", "é", "İ", "ß", "٣٤", "snake_case_identifier", "averyveryverylongwordthatgoesonandon",
        "```", "`code`", "$x$", "\\frac{a}{b}", "https://example.com/x", "A.", "(B)", "- item", "1. first", "?", ":",
        "\t", "\n", "\r\n", "    ", "\u00A0", "\u2003", "\u0085", "\u001F", "\u0000", "\uD800", "--", "!!", "a", "Z",
    ];

    private static IEnumerable<ChatPrompt> Corpus()
    {
        var random = new Random(20240611);
        yield return new ChatPrompt([]);
        yield return ChatPrompt.FromUserText(string.Empty);
        yield return ChatPrompt.FromUserText("   \t\n ");
        yield return ChatPrompt.FromUserText("a");
        yield return ChatPrompt.FromUserText("ab");
        yield return new ChatPrompt([new ChatTurn("user", null!)]);
        foreach (var length in new[] { 5, 17, 60, 200, 700, 2_048, 5_000, 20_000, 70_000 })
        {
            var turns = new List<ChatTurn>();
            if (random.Next(2) == 0) turns.Add(new ChatTurn(random.Next(2) == 0 ? "system" : "developer", Text(random, 40 + random.Next(6_000))));
            var history = random.Next(12);
            for (var t = 0; t < history; t++) turns.Add(new ChatTurn(t % 2 == 0 ? "user" : (t % 5 == 0 ? "tool" : "assistant"), Text(random, random.Next(3_000))));
            turns.Add(new ChatTurn("user", Text(random, length)));
            if (random.Next(3) == 0) turns.Add(new ChatTurn("assistant", Text(random, 50)));
            yield return new ChatPrompt(turns, random.Next(3), random.Next(2) == 0 ? "json_object" : null, random.Next(2) == 0 ? 512 : null);
        }
    }

    private static string Text(Random random, int length)
    {
        var text = new StringBuilder(length + 64);
        while (text.Length < length)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
            text.Append(random.Next(5) switch { 0 => "", 1 => "  ", _ => " " });
        }

        text.Length = length;
        return text.ToString();
    }
}
