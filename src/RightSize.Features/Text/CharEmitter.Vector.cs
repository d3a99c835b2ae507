using System.Runtime.Intrinsics;
using RightSize.Features.Hashing;

namespace RightSize.Features.Text;

/// <summary>The SIMD body of <see cref="CharEmitter"/>: eight positions per step, in two vectors of four lanes.</summary>
internal static partial class CharEmitter
{
    private const int Lanes = 4;

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
                var hashes = Vector256.Narrow(Mix(low ^ seed), Mix(high ^ seed));
                (((hashes & mask) << HashedBlock.TagBits) | tag).CopyTo(keys.Slice(written, 2 * Lanes));
                written += 2 * Lanes;
            }
        }

        return p;
    }

    /// <summary><see cref="FeatureHash.Mix"/> in every lane.</summary>
    private static Vector256<ulong> Mix(Vector256<ulong> h)
    {
        h ^= h >>> 33;
        h *= FeatureHash.MixFirst;
        h ^= h >>> 33;
        h *= FeatureHash.MixSecond;
        h ^= h >>> 33;
        return h;
    }
}
