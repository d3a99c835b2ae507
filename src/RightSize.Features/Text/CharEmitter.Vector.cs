using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RightSize.Features.Hashing;

namespace RightSize.Features.Text;

/// <summary>The SIMD body of <see cref="CharEmitter"/>: eight positions per step, in two vectors of four lanes.</summary>
internal static partial class CharEmitter
{
    private const int Lanes = 4;

    /// <summary>Characters normalised per vector step.</summary>
    private const int NormalizeBlock = 16;

    /// <summary>
    /// <see cref="TextNormalizer.NormalizeOrSpace"/> over sixteen characters at once, when all are
    /// printable ASCII and no space follows a space (so none is dropped): capitals lowered, digits
    /// as '0', widened into <paramref name="buffer"/>. Returns false, writing nothing, otherwise.
    /// </summary>
    private static bool TryNormalizePrintable(ReadOnlySpan<char> block, Span<ulong> buffer, ref int length, ref ulong last)
    {
        var c = Vector256.Create(MemoryMarshal.Cast<char, ushort>(block));
        if (!Vector256.LessThanAll(c - Vector256.Create((ushort)' '), Vector256.Create((ushort)('~' - ' ' + 1)))) return false;

        var spaces = Vector256.Equals(c, Vector256.Create((ushort)' ')).ExtractMostSignificantBits();
        var afterSpace = (spaces << 1) | (last == ' ' ? 1u : 0u);
        if ((spaces & afterSpace) != 0) return false;

        var upper = Vector256.LessThan(c - Vector256.Create((ushort)'A'), Vector256.Create((ushort)26));
        var digit = Vector256.LessThan(c - Vector256.Create((ushort)'0'), Vector256.Create((ushort)10));
        var normalized = Vector256.ConditionalSelect(digit, Vector256.Create((ushort)'0'), c | (upper & Vector256.Create((ushort)0x20)));

        var (low, high) = Vector256.Widen(normalized);
        var target = buffer.Slice(length, NormalizeBlock);
        var (a, b) = Vector256.Widen(low);
        var (d, e) = Vector256.Widen(high);
        a.CopyTo(target);
        b.CopyTo(target[4..]);
        d.CopyTo(target[8..]);
        e.CopyTo(target[12..]);
        length += NormalizeBlock;
        last = normalized.GetElement(NormalizeBlock - 1);
        return true;
    }

    /// <summary>
    /// Emits every n-gram ending at positions p, p + 1, ... in blocks of eight, from a
    /// <paramref name="p"/> of at least maxN - 1 (so every size fits); returns the first position
    /// left for the scalar tail.
    /// </summary>
    private static int EmitEights(ReadOnlySpan<ulong> chars, int p, int minN, int maxN, ReadOnlySpan<ulong> seeds, in HashedBlock block, Span<uint> keys, ref int written)
    {
        var mask = Vector256.Create(block.Mask);
        var tag = Vector256.Create(block.Tag);
        for (; p + (2 * Lanes) <= chars.Length; p += 2 * Lanes)
        {
            var low = Vector256.Create(FeatureHash.OffsetBasis);
            var high = low;
            for (var n = 1; n <= maxN; n++)
            {
                var at = p - n + 1;
                low = (low ^ Vector256.Create(chars.Slice(at, Lanes))) * FeatureHash.Prime;
                high = (high ^ Vector256.Create(chars.Slice(at + Lanes, Lanes))) * FeatureHash.Prime;
                if (n < minN) continue;

                var seed = Vector256.Create(seeds[n]);
                var hashes = Vector256.Narrow(FeatureHash.Mix(low ^ seed), FeatureHash.Mix(high ^ seed));
                (((hashes & mask) << HashedBlock.TagBits) | tag).CopyTo(keys.Slice(written, 2 * Lanes));
                written += 2 * Lanes;
            }
        }

        return p;
    }

    /// <summary>As <see cref="EmitEights"/>, sixteen positions per step in two vectors of eight lanes (AVX-512).</summary>
    private static int EmitSixteens(ReadOnlySpan<ulong> chars, int p, int minN, int maxN, ReadOnlySpan<ulong> seeds, in HashedBlock block, Span<uint> keys, ref int written)
    {
        const int lanes = 8;
        var mask = Vector512.Create(block.Mask);
        var tag = Vector512.Create(block.Tag);
        for (; p + (2 * lanes) <= chars.Length; p += 2 * lanes)
        {
            var low = Vector512.Create(FeatureHash.OffsetBasis);
            var high = low;
            for (var n = 1; n <= maxN; n++)
            {
                var at = p - n + 1;
                low = (low ^ Vector512.Create(chars.Slice(at, lanes))) * FeatureHash.Prime;
                high = (high ^ Vector512.Create(chars.Slice(at + lanes, lanes))) * FeatureHash.Prime;
                if (n < minN) continue;

                var seed = Vector512.Create(seeds[n]);
                var hashes = Vector512.Narrow(FeatureHash.Mix(low ^ seed), FeatureHash.Mix(high ^ seed));
                (((hashes & mask) << HashedBlock.TagBits) | tag).CopyTo(keys.Slice(written, 2 * lanes));
                written += 2 * lanes;
            }
        }

        return p;
    }

}
