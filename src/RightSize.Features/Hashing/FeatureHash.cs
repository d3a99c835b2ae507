using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RightSize.Features.Hashing;

/// <summary>
/// FNV-1a (64-bit) over UTF-16 code units, finished with the MurmurHash3 64-bit mixer so that
/// the low bits used for bucketing are well spread. Written here so that the hash is part of
/// the schema and never changes with a runtime's string hashing.
/// </summary>
internal static class FeatureHash
{
    public const ulong OffsetBasis = 14695981039346656037UL;
    public const ulong Prime = 1099511628211UL;

    /// <summary>The two multipliers of the MurmurHash3 finaliser (<see cref="Mix(ulong)"/>).</summary>
    public const ulong MixFirst = 0xff51afd7ed558ccdUL;
    public const ulong MixSecond = 0xc4ceb9fe1a85ec53UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Step(ulong hash, char c) => (hash ^ c) * Prime;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= MixFirst;
        h ^= h >> 33;
        h *= MixSecond;
        h ^= h >> 33;
        return h;
    }

    /// <summary><see cref="Mix(ulong)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Mix(Vector256<ulong> h)
    {
        h ^= h >>> 33;
        h *= MixFirst;
        h ^= h >>> 33;
        h *= MixSecond;
        h ^= h >>> 33;
        return h;
    }

    /// <summary><see cref="Mix(ulong)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Mix(Vector512<ulong> h)
    {
        h ^= h >>> 33;
        h *= MixFirst;
        h ^= h >>> 33;
        h *= MixSecond;
        h ^= h >>> 33;
        return h;
    }

    /// <summary>
    /// The term a seed (block and n-gram kind) contributes to a feature hash: a token hash h gives
    /// the feature hash <c>Mix(h ^ SeedMultiplier(seed))</c>. Computed once per seed, outside the loops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SeedMultiplier(ulong seed) => seed * 0x9E3779B97F4A7C15UL;

    /// <summary>Hashes a whole string the same way tokens are hashed (lower-cased, digits as 0).</summary>
    public static ulong OfWord(string word)
    {
        var h = OffsetBasis;
        foreach (var c in word) h = Step(h, TextNormalizer.Normalize(c));
        return h;
    }
}
