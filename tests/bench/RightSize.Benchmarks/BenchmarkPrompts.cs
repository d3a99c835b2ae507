using System.Text;
using RightSize.OpenAI.Chat;

namespace RightSize.Benchmarks;

/// <summary>Deterministic prompts of a given size: chat prose with code, maths and lists mixed in.</summary>
internal static class BenchmarkPrompts
{
    private static readonly string[] Words =
    [
        "the", "model", "request", "explain", "why", "function", "returns", "value", "between", "proof",
        "derive", "integral", "compute", "average", "latency", "gateway", "tier", "price", "token", "answer",
        "consider", "following", "example", "carefully", "step", "result", "matrix", "vector", "probability", "error",
        "database", "query", "index", "schema", "migration", "customer", "invoice", "summary", "translate", "French",
    ];

    private static readonly string[] Inserts =
    [
        "\n```csharp\npublic static int Add(int a, int b) => a + b;\n```\n",
        "\nLet f(x) = 3x^2 + 2x - 5; find f'(x) and solve f(x) = 0.\n",
        "\n- first item\n- second item\n- third item\n",
        " What is the time complexity of this algorithm? ",
        "\n1. Read the input.\n2. Validate it.\n3. Write the output.\n",
    ];

    public static ChatPrompt Create(int targetChars, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(targetChars + 200);
        while (text.Length < targetChars)
        {
            if (random.Next(12) == 0)
            {
                text.Append(Inserts[random.Next(Inserts.Length)]);
                continue;
            }

            text.Append(Words[random.Next(Words.Length)]);
            text.Append(random.Next(9) == 0 ? ". " : " ");
        }

        text.Length = targetChars;
        return new ChatPrompt(
            [
                new ChatTurn("system", "You are a helpful assistant. Answer precisely."),
                new ChatTurn("user", text.ToString()),
            ],
            toolCount: 0,
            responseFormatType: null,
            maxTokens: 1024);
    }

    /// <summary>Random printable ASCII: no word or 4-gram repeats, so nearly every key is distinct.</summary>
    public static readonly string Ascii = string.Concat(Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c));

    /// <summary>
    /// Random symbols outside ASCII (arrows, maths operators, technical and geometric shapes,
    /// U+2190–U+23FF and U+25A0–U+26FF): each is a word of its own, and from 976 of them nearly
    /// every word pair and 4-gram is distinct, so the model gathers more rows than for ASCII.
    /// </summary>
    public static readonly string Symbols = string.Concat(
        Enumerable.Range(0x2190, 0x23FF - 0x2190 + 1).Concat(Enumerable.Range(0x25A0, 0x26FF - 0x25A0 + 1)).Select(c => (char)c));

    /// <summary>The non-ASCII maths symbols the extractor counts, drawn at random: the structural scan's slowest text.</summary>
    public const string MathsSymbols = "∑∫√π≤≥±×÷∞≠≈∂∀∃∈⊂→⇒θλΣΔ°";

    /// <summary>
    /// The worst case the default caps allow: random characters of <paramref name="alphabet"/>
    /// (<see cref="Ascii"/> by default) filling every block the extractor reads, with room to
    /// spare: 4 system turns of 5,120 characters, 8 earlier turns of 1,536 and a last user message
    /// of 16,384 (about 48 K characters; the caps of 2026-11-30 read all of it).
    /// </summary>
    public static ChatPrompt FillingEveryCap(int seed, string? alphabet = null)
    {
        alphabet ??= Ascii;
        var random = new Random(seed);
        var turns = new List<ChatTurn>();
        for (var i = 0; i < 4; i++) turns.Add(new ChatTurn("system", RandomText(random, 5_120, alphabet)));
        for (var i = 0; i < 8; i++) turns.Add(new ChatTurn(i % 2 == 0 ? "user" : "assistant", RandomText(random, 1_536, alphabet)));
        turns.Add(new ChatTurn("user", RandomText(random, 16_384, alphabet)));
        return new ChatPrompt(turns);
    }

    /// <summary>One user message of random printable ASCII.</summary>
    public static ChatPrompt RandomUserText(int chars, int seed) => ChatPrompt.FromUserText(RandomText(new Random(seed), chars, Ascii));

    private static string RandomText(Random random, int chars, string alphabet)
    {
        var text = new char[chars];
        for (var i = 0; i < text.Length; i++) text[i] = alphabet[random.Next(alphabet.Length)];
        return new string(text);
    }
}
