using RightSize.Features.Hashing;

namespace RightSize.Features.Text;

/// <summary>
/// Splits text into tokens without allocating (runs of letters, digits and '_' are words;
/// every other non-space character is a one-character token), hashes each over normalised
/// characters, and records unigram and (optionally) bigram keys.
/// </summary>
internal static class WordEmitter
{
    private const ulong UnigramKind = 0x5751;
    private const ulong BigramKind = 0x5752;
    private const int LongWordChars = 10;

    /// <summary>For ASCII: the normalised character of a word character, <see cref="Space"/> for whitespace, <see cref="Symbol"/> otherwise.</summary>
    private static readonly char[] AsciiClass = BuildAsciiClass();

    private const char Space = '\0';
    private const char Symbol = '\u0001';

    public static void Emit(ReadOnlySpan<char> text, in HashedBlock block, bool bigrams, int maxWordChars, SparseFeatures output, ref WordStats stats)
    {
        var unigramSeed = FeatureHash.SeedMultiplier(block.Seed ^ UnigramKind);
        var bigramSeed = FeatureHash.SeedMultiplier(block.Seed ^ BigramKind);
        var keys = output.RawSpace(2 * text.Length); // at most one token per character, each with a bigram
        var written = 0;
        ulong previous = 0;
        var havePrevious = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var kind = Classify(c);
            if (kind == Space)
            {
                i++;
                continue;
            }

            ulong hash;
            if (kind != Symbol)
            {
                var start = i;
                hash = WordHash(text, ref i, maxWordChars, out var allDigits);
                var length = i - start;
                stats.Words++;
                stats.WordChars += length;
                if (length >= LongWordChars) stats.LongWords++;
                if (allDigits) stats.Numbers++;
                stats.Count(Markers.Lookup(hash));
                if (!stats.SeenFirstWord)
                {
                    stats.SeenFirstWord = true;
                    stats.StartsWithQuestionWord = Markers.IsQuestionWord(hash);
                }
            }
            else
            {
                hash = FeatureHash.Step(FeatureHash.OffsetBasis, TextNormalizer.Normalize(c));
                i++;
            }

            keys[written++] = block.Key(FeatureHash.Mix(hash ^ unigramSeed));
            if (havePrevious)
            {
                var pair = Markers.Pair(previous, hash);
                if (kind != Symbol) stats.Count(PairCategory(pair));
                if (bigrams) keys[written++] = block.Key(FeatureHash.Mix(pair ^ bigramSeed));
            }

            previous = hash;
            havePrevious = true;
        }

        output.CommitRaw(written);
    }

    /// <summary>Hashes the word starting at <paramref name="i"/> (its first <paramref name="maxWordChars"/> characters) and moves past it.</summary>
    private static ulong WordHash(ReadOnlySpan<char> text, ref int i, int maxWordChars, out bool allDigits)
    {
        var hash = FeatureHash.OffsetBasis;
        var start = i;
        var digits = true;
        var at = i;
        for (; at < text.Length; at++)
        {
            var ch = text[at];
            var normalized = Classify(ch);
            if (normalized <= Symbol) break;
            if (at - start < maxWordChars) hash = FeatureHash.Step(hash, normalized);
            digits &= (uint)(ch - '0') <= 9;
        }

        i = at;
        allDigits = digits;
        return hash;
    }

    /// <summary>The normalised character of a word character, or <see cref="Space"/> or <see cref="Symbol"/>.</summary>
    private static char Classify(char c)
    {
        if (c < 128) return AsciiClass[c];
        if (char.IsWhiteSpace(c)) return Space;
        return TextNormalizer.IsWordChar(c) ? TextNormalizer.Normalize(c) : Symbol;
    }

    private static MarkerCategory PairCategory(ulong pair)
    {
        var category = Markers.Lookup(pair);
        return category == MarkerCategory.StepByStep ? category : MarkerCategory.None;
    }

    private static char[] BuildAsciiClass()
    {
        var table = new char[128];
        for (var c = '\0'; c < 128; c++)
        {
            table[c] = char.IsWhiteSpace(c) ? Space : TextNormalizer.IsWordChar(c) ? TextNormalizer.Normalize(c) : Symbol;
        }

        return table;
    }
}
