using RightSize.Features.Text;
using RightSize.OpenAI.Chat;

namespace RightSize.Features;

/// <summary>
/// Turns a chat prompt into a sparse feature vector: named structural slots first, then hashed
/// word and character n-grams, sorted and unique. Pure, deterministic and thread-safe (all
/// per-call state lives in the caller's <see cref="SparseFeatures"/>). See
/// <c>docs/classifier.md</c> for the features, their weights and the caps on long prompts.
/// </summary>
public sealed partial class FeatureExtractor
{
    /// <summary>Named slots reserved below the hashed buckets (only the first <see cref="StructuralSlot.Count"/> are used).</summary>
    public const int ReservedSlots = 256;

    private const int BlockCount = 4;

    private readonly FeatureExtractorOptions _options;
    private readonly HashedBlock[] _blocks;
    private readonly float[] _blockWeights;
    private readonly int _keyBits;

    public FeatureExtractor(FeatureExtractorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        var mask = (1u << options.HashBits) - 1;
        _blocks = new HashedBlock[BlockCount];
        for (var b = 0; b < BlockCount; b++) _blocks[b] = new HashedBlock((uint)b, BlockSeed(b), mask);
        _blockWeights = [.. options.BlockWeights];
        _keyBits = options.HashBits + HashedBlock.TagBits;
        Schema = BuildSchema(options, SchemaProbes.Digest(this));
    }

    /// <summary>The extractor of the shipped model.</summary>
    public static FeatureExtractor Default => DefaultHolder.Instance;

    public FeatureSchema Schema { get; }

    public FeatureExtractorOptions Options => _options;

    /// <summary>Clears <paramref name="output"/> and fills it with the features of <paramref name="prompt"/>.</summary>
    public void Extract(ChatPrompt prompt, SparseFeatures output)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(output);
        output.Clear();

        Span<float> slots = stackalloc float[(int)StructuralSlot.Count];
        slots.Clear();
        var turns = prompt.Turns;
        var lastUser = prompt.LastUserIndex;
        var wordStats = default(WordStats);
        var textStats = default(TextStats);
        var lastText = lastUser >= 0 ? turns[lastUser].Text ?? string.Empty : string.Empty;

        EmitSegments(lastText, _options.WordHeadChars, _options.WordTailChars, Kind.Words, FeatureBlock.LastUserWords, output, ref wordStats);
        EmitSegments(lastText, _options.CharHeadChars, _options.CharTailChars, Kind.Chars, FeatureBlock.LastUserChars, output, ref wordStats);
        ScanSegments(lastText, _options.StructuralScanChars, _options.StructuralScanChars / 4, ref textStats);
        EmitContext(turns, lastUser, output);

        FillStructural(prompt, lastUser, lastText, _options.StructuralScanChars / 4, in wordStats, in textStats, slots);
        Finish(slots, output);
    }

    private static bool IsSystem(string? role) =>
        string.Equals(role, ChatRoles.System, StringComparison.OrdinalIgnoreCase) || string.Equals(role, ChatRoles.Developer, StringComparison.OrdinalIgnoreCase);

    private void EmitContext(IReadOnlyList<ChatTurn> turns, int lastUser, SparseFeatures output)
    {
        var ignored = default(WordStats);
        var history = 0;
        var system = 0;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            if (i == lastUser) continue;
            var text = turns[i].Text ?? string.Empty;
            if (IsSystem(turns[i].Role))
            {
                if (system == _options.SystemTurns) continue;
                system++;
                EmitSegments(text, _options.SystemChars, _options.SystemChars / 4, Kind.Words, FeatureBlock.SystemWords, output, ref ignored);
            }
            else if (history < _options.HistoryTurns)
            {
                history++;
                EmitSegments(text, _options.HistoryCharsPerTurn, _options.HistoryCharsPerTurn / 2, Kind.Unigrams, FeatureBlock.HistoryWords, output, ref ignored);
            }
        }
    }

    private enum Kind
    {
        Words,
        Unigrams,
        Chars,
    }

    private void EmitSegments(string text, int head, int tail, Kind kind, FeatureBlock block, SparseFeatures output, ref WordStats stats)
    {
        var span = text.AsSpan();
        if (span.Length <= head + tail)
        {
            Emit(span, kind, block, output, ref stats);
            return;
        }

        Emit(span[..head], kind, block, output, ref stats);
        if (tail > 0) Emit(span[^tail..], kind, block, output, ref stats);
    }

    private void Emit(ReadOnlySpan<char> text, Kind kind, FeatureBlock block, SparseFeatures output, ref WordStats stats)
    {
        ref readonly var hashed = ref _blocks[(int)block];
        if (kind == Kind.Chars)
        {
            CharEmitter.Emit(text, hashed, _options.CharNgramMin, _options.CharNgramMax, output);
        }
        else
        {
            WordEmitter.Emit(text, hashed, kind == Kind.Words, _options.MaxWordChars, output, ref stats);
        }
    }

    private static void ScanSegments(string text, int head, int tail, ref TextStats stats)
    {
        var span = text.AsSpan();
        if (span.Length <= head + tail)
        {
            stats.Scan(span);
            return;
        }

        stats.Scan(span[..head]);
        stats.Scan(span[^tail..]);
    }

    private static ulong BlockSeed(int block) => 0x5249474854534953UL + ((ulong)block * 0x100000001B3UL);

    /// <summary>
    /// Builds <see cref="Default"/> on first use, after every static field of this class is set:
    /// the constructor extracts the schema probes, which read those fields.
    /// </summary>
    private static class DefaultHolder
    {
        public static readonly FeatureExtractor Instance = new(FeatureExtractorOptions.Default);
    }
}
