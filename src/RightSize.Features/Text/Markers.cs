using System.Runtime.CompilerServices;
using RightSize.Features.Hashing;

namespace RightSize.Features.Text;

/// <summary>
/// The marker vocabulary: single words and word pairs that hint at the kind of work a prompt asks
/// for. Looked up by the word hash in a small immutable open-addressing table (no allocation).
/// </summary>
internal static class Markers
{
    public static readonly string[] Reasoning =
    [
        "prove", "proof", "derive", "justify", "explain", "why", "reason", "reasoning", "analyze", "analyse",
        "evaluate", "deduce", "infer", "implies", "therefore", "assume", "suppose", "hypothesis", "argue", "critique",
    ];

    public static readonly string[] Math =
    [
        "calculate", "compute", "solve", "equation", "integral", "derivative", "probability", "sum", "total",
        "percent", "percentage", "ratio", "average", "matrix", "polynomial", "theorem", "lemma", "limit", "log", "sqrt",
    ];

    public static readonly string[] Code =
    [
        "code", "function", "class", "def", "return", "import", "python", "javascript", "typescript", "java", "sql",
        "bug", "error", "exception", "compile", "implement", "algorithm", "regex", "api", "json", "script", "debug",
    ];

    public static readonly string[] Creative =
    [
        "write", "story", "poem", "essay", "draft", "rewrite", "creative", "imagine", "letter", "slogan",
    ];

    public static readonly string[] Simple =
    [
        "hello", "hi", "thanks", "thank", "translate", "summarize", "summarise", "define", "definition", "list",
        "spell", "synonym", "capital", "rephrase", "fix", "grammar",
    ];

    public static readonly string[] QuestionWords =
    [
        "what", "why", "how", "which", "who", "whom", "whose", "when", "where", "is", "are", "can", "could", "does",
        "do", "did", "should", "would", "will",
    ];

    /// <summary>Word pairs (first, second) that count as step-by-step/derivation requests.</summary>
    public static readonly (string First, string Second)[] Pairs =
    [
        ("step", "by"), ("explain", "why"), ("show", "that"), ("prove", "that"), ("think", "carefully"),
        ("work", "out"), ("walk", "through"),
    ];

    private const int TableSize = 512;
    private static readonly ulong[] Keys = new ulong[TableSize];
    private static readonly MarkerCategory[] Categories = new MarkerCategory[TableSize];
    private static readonly ulong[] QuestionKeys = new ulong[64];

    static Markers()
    {
        Add(Reasoning, MarkerCategory.Reasoning);
        Add(Math, MarkerCategory.Math);
        Add(Code, MarkerCategory.Code);
        Add(Creative, MarkerCategory.Creative);
        Add(Simple, MarkerCategory.Simple);
        foreach (var (first, second) in Pairs) Insert(Pair(FeatureHash.OfWord(first), FeatureHash.OfWord(second)), MarkerCategory.StepByStep);
        foreach (var word in QuestionWords) InsertQuestion(FeatureHash.OfWord(word));
    }

    /// <summary>The hash of a word pair, as used for pair markers.</summary>
    public static ulong Pair(ulong first, ulong second) => FeatureHash.Mix(first) ^ (second * FeatureHash.Prime);

    /// <summary>The category of a word (by its unseeded hash), or <see cref="MarkerCategory.None"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MarkerCategory Lookup(ulong hash)
    {
        var slot = (int)(hash & (TableSize - 1));
        while (true)
        {
            var key = Keys[slot];
            if (key == hash) return Categories[slot];
            if (key == 0) return MarkerCategory.None;
            slot = (slot + 1) & (TableSize - 1);
        }
    }

    /// <summary>Whether a word (by its unseeded hash) is a question word.</summary>
    public static bool IsQuestionWord(ulong hash)
    {
        var slot = (int)(hash & (ulong)(QuestionKeys.Length - 1));
        while (true)
        {
            var key = QuestionKeys[slot];
            if (key == hash) return true;
            if (key == 0) return false;
            slot = (slot + 1) & (QuestionKeys.Length - 1);
        }
    }

    private static void Add(string[] words, MarkerCategory category)
    {
        foreach (var word in words) Insert(FeatureHash.OfWord(word), category);
    }

    private static void Insert(ulong hash, MarkerCategory category)
    {
        var slot = (int)(hash & (TableSize - 1));
        while (Keys[slot] != 0 && Keys[slot] != hash) slot = (slot + 1) & (TableSize - 1);
        if (Keys[slot] == hash) return; // first category wins for a word listed twice
        Keys[slot] = hash;
        Categories[slot] = category;
    }

    private static void InsertQuestion(ulong hash)
    {
        var slot = (int)(hash & (ulong)(QuestionKeys.Length - 1));
        while (QuestionKeys[slot] != 0 && QuestionKeys[slot] != hash) slot = (slot + 1) & (QuestionKeys.Length - 1);
        QuestionKeys[slot] = hash;
    }
}
