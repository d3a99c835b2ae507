using System.Runtime.CompilerServices;

namespace RightSize.Features.Hashing;

/// <summary>Per-character normalisation applied before hashing: invariant lower case, every decimal digit as '0'.</summary>
internal static class TextNormalizer
{
    private static readonly char[] AsciiOrSpace = BuildAsciiOrSpace();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Normalize(char c)
    {
        if (c < 128)
        {
            if ((uint)(c - 'A') <= 'Z' - 'A') return (char)(c | 0x20);
            if ((uint)(c - '0') <= 9) return '0';
            return c;
        }

        if (char.IsDigit(c)) return '0';
        return char.ToLowerInvariant(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWordChar(char c)
    {
        if (c < 128) return (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_';
        return char.IsLetterOrDigit(c);
    }

    /// <summary><see cref="Normalize"/>, except that every whitespace character becomes ' ' (the character n-gram alphabet; no other character maps to ' ').</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char NormalizeOrSpace(char c)
    {
        if (c < 128) return AsciiOrSpace[c];
        return char.IsWhiteSpace(c) ? ' ' : Normalize(c);
    }

    private static char[] BuildAsciiOrSpace()
    {
        var table = new char[128];
        for (var c = '\0'; c < 128; c++) table[c] = char.IsWhiteSpace(c) ? ' ' : Normalize(c);
        return table;
    }
}
