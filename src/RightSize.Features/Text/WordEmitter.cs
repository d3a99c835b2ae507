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

    public static void Emit(ReadOnlySpan<char> text, in HashedBlock block, bool bigrams, int maxWordChars, SparseFeatures output, ref WordStats stats)
    {
        var unigramSeed = block.Seed ^ UnigramKind;
        var bigramSeed = block.Seed ^ BigramKind;
        ulong previous = 0;
        var havePrevious = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            ulong hash;
            if (TextNormalizer.IsWordChar(c))
            {
                hash = FeatureHash.OffsetBasis;
                var start = i;
                var allDigits = true;
                while (i < text.Length && TextNormalizer.IsWordChar(text[i]))
                {
                    var ch = text[i];
                    if (i - start < maxWordChars) hash = FeatureHash.Step(hash, TextNormalizer.Normalize(ch));
                    if ((uint)(ch - '0') > 9) allDigits = false;
                    i++;
                }

                var length = i - start;
                stats.Words++;
                stats.WordChars += length;
                if (length >= LongWordChars) stats.LongWords++;
                if (allDigits) stats.Numbers++;
                stats.Count(Markers.Lookup(hash));
                if (havePrevious) stats.Count(PairCategory(previous, hash));
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

            output.AddRaw(block.Key(FeatureHash.Combine(unigramSeed, hash)));
            if (bigrams && havePrevious) output.AddRaw(block.Key(FeatureHash.Combine(bigramSeed, Markers.Pair(previous, hash))));
            previous = hash;
            havePrevious = true;
        }
    }

    private static MarkerCategory PairCategory(ulong previous, ulong hash)
    {
        var category = Markers.Lookup(Markers.Pair(previous, hash));
        return category == MarkerCategory.StepByStep ? category : MarkerCategory.None;
    }
}
