namespace RightSize.Training.Training;

/// <summary>A seeded 64-bit FNV-1a over UTF-16 code units with a final mix: stable across runs and platforms.</summary>
internal static class StableHash
{
    public static ulong Of(string text, ulong seed)
    {
        var h = 14695981039346656037UL ^ (seed * 0x9E3779B97F4A7C15UL);
        foreach (var c in text) h = (h ^ c) * 1099511628211UL;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        return h;
    }
}
