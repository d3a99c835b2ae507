using RightSize.Features.Hashing;

namespace RightSize.Features.Text;

/// <summary>
/// Character n-grams over normalised text (lower case, digits as '0', whitespace runs as one
/// space, a space before and after). Each n-gram is hashed from its last character backwards,
/// so the n-grams of every size ending at one position share the work.
/// </summary>
internal static class CharEmitter
{
    public const int MaxN = 8;

    public static void Emit(ReadOnlySpan<char> text, in HashedBlock block, int minN, int maxN, SparseFeatures output)
    {
        Span<char> window = stackalloc char[MaxN];
        window.Clear();
        var filled = 0;
        var lastWasSpace = false;
        Push(' ', window, ref filled, block, minN, maxN, output);
        lastWasSpace = true;
        foreach (var raw in text)
        {
            if (char.IsWhiteSpace(raw))
            {
                if (lastWasSpace) continue;
                lastWasSpace = true;
                Push(' ', window, ref filled, block, minN, maxN, output);
                continue;
            }

            lastWasSpace = false;
            Push(TextNormalizer.Normalize(raw), window, ref filled, block, minN, maxN, output);
        }

        if (!lastWasSpace) Push(' ', window, ref filled, block, minN, maxN, output);
    }

    private static void Push(char c, Span<char> window, ref int filled, in HashedBlock block, int minN, int maxN, SparseFeatures output)
    {
        // window[0] is the newest character.
        for (var k = maxN - 1; k > 0; k--) window[k] = window[k - 1];
        window[0] = c;
        if (filled < maxN) filled++;

        var hash = FeatureHash.OffsetBasis;
        for (var n = 1; n <= filled; n++)
        {
            hash = FeatureHash.Step(hash, window[n - 1]);
            if (n >= minN) output.AddRaw(block.Key(FeatureHash.Combine(block.Seed ^ (ulong)n, hash)));
        }
    }
}
