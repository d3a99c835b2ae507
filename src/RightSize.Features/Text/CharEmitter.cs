using System.Diagnostics;
using System.Runtime.Intrinsics;
using RightSize.Features.Hashing;

namespace RightSize.Features.Text;

/// <summary>
/// Character n-grams over normalised text (lower case, digits as '0', whitespace runs as one
/// space, a space before and after). The n-gram of size n ending at position p is hashed from
/// its last character backwards (FNV-1a over p, p-1, ..., p-n+1), so the n-grams of every size
/// ending at one position share the work. The text is normalised once into a scratch buffer of
/// widened characters (sixteen at a time where they are printable ASCII with no run of spaces);
/// the hashing then runs eight or sixteen positions at a time in SIMD lanes.
/// </summary>
internal static partial class CharEmitter
{
    public const int MaxN = 8;

    public static void Emit(ReadOnlySpan<char> text, in HashedBlock block, int minN, int maxN, SparseFeatures output)
    {
        var chars = Normalize(text, output.TextScratch(text.Length + 2));
        var count = NgramCount(chars.Length, minN, maxN);
        if (count == 0) return;

        Span<ulong> seeds = stackalloc ulong[MaxN + 1];
        for (var n = minN; n <= maxN; n++) seeds[n] = FeatureHash.SeedMultiplier(block.Seed ^ (ulong)n);

        var keys = output.RawSpace(count);
        var written = 0;
        var p = 0;
        for (; p < Math.Min(maxN - 1, chars.Length); p++) EmitAt(chars, p, minN, maxN, seeds, block, keys, ref written);
        if (Vector512.IsHardwareAccelerated) p = EmitSixteens(chars, p, minN, maxN, seeds, block, keys, ref written);
        if (Vector256.IsHardwareAccelerated) p = EmitEights(chars, p, minN, maxN, seeds, block, keys, ref written);
        for (; p < chars.Length; p++) EmitAt(chars, p, minN, maxN, seeds, block, keys, ref written);
        Debug.Assert(written == count, "every reserved key is written");
        output.CommitRaw(count);
    }

    /// <summary>Writes the normalised text, padded with one space at each end, and returns it.</summary>
    private static ReadOnlySpan<ulong> Normalize(ReadOnlySpan<char> text, Span<ulong> buffer)
    {
        var length = 0;
        ulong last = ' ';
        buffer[length++] = last;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + NormalizeBlock <= text.Length; i += NormalizeBlock)
            {
                var block = text.Slice(i, NormalizeBlock);
                if (!TryNormalizePrintable(block, buffer, ref length, ref last)) NormalizeEach(block, buffer, ref length, ref last);
            }
        }

        NormalizeEach(text[i..], buffer, ref length, ref last);
        if (last != ' ') buffer[length++] = ' ';
        return buffer[..length];
    }

    private static void NormalizeEach(ReadOnlySpan<char> text, Span<ulong> buffer, ref int length, ref ulong last)
    {
        foreach (var raw in text)
        {
            ulong c = TextNormalizer.NormalizeOrSpace(raw);
            buffer[length] = c;
            length += c == ' ' && last == ' ' ? 0 : 1;
            last = c;
        }
    }

    private static int NgramCount(int length, int minN, int maxN)
    {
        var count = 0;
        for (var n = minN; n <= maxN; n++) count += Math.Max(0, length - n + 1);
        return count;
    }

    /// <summary>The n-grams ending at <paramref name="p"/>, of every size from minN up to maxN or p + 1.</summary>
    private static void EmitAt(ReadOnlySpan<ulong> chars, int p, int minN, int maxN, ReadOnlySpan<ulong> seeds, in HashedBlock block, Span<uint> keys, ref int written)
    {
        var hash = FeatureHash.OffsetBasis;
        var top = Math.Min(p + 1, maxN);
        for (var n = 1; n <= top; n++)
        {
            hash = (hash ^ chars[p - n + 1]) * FeatureHash.Prime;
            if (n >= minN) keys[written++] = block.Key(FeatureHash.Mix(hash ^ seeds[n]));
        }
    }
}
