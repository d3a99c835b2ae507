using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RightSize.Features.Text;

namespace RightSize.Features;

/// <summary>The canonical description of the feature space and its hash.</summary>
public sealed partial class FeatureExtractor
{
    private static void Validate(FeatureExtractorOptions o)
    {
        if (o.HashBits is < 8 or > 19) throw new ArgumentOutOfRangeException(nameof(o), o.HashBits, "HashBits must be between 8 and 19.");
        if (o.CharNgramMin < 1 || o.CharNgramMax > CharEmitter.MaxN || o.CharNgramMin > o.CharNgramMax)
        {
            throw new ArgumentOutOfRangeException(nameof(o), "Character n-grams need 1 <= CharNgramMin <= CharNgramMax <= 8.");
        }

        if (o.BlockWeights.Count != BlockCount) throw new ArgumentOutOfRangeException(nameof(o), $"BlockWeights needs {BlockCount} entries, one per FeatureBlock.");
        if (o.WordHeadChars < 0 || o.WordTailChars < 0 || o.CharHeadChars < 0 || o.CharTailChars < 0 || o.SystemChars < 0
            || o.HistoryCharsPerTurn < 0 || o.HistoryTurns < 0 || o.SystemTurns < 0 || o.StructuralScanChars < 0 || o.MaxWordChars <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(o), "Caps must not be negative.");
        }
    }

    /// <summary>The schema version whose models from before the probe digest are still accepted (see <see cref="FeatureSchema.PreProbeHash"/>).</summary>
    private const int PreProbeVersion = 2;

    private static FeatureSchema BuildSchema(FeatureExtractorOptions o, string probeDigest)
    {
        var description = Describe(o);
        var text = description + "probes=sha256:" + probeDigest + "\n";
        var preProbe = o.Version == PreProbeVersion ? Sha256Hex(description) : null;
        return new FeatureSchema(o.Version, ReservedSlots + (1 << o.HashBits), Sha256Hex(text), text, preProbe);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Describe(FeatureExtractorOptions o)
    {
        var b = new StringBuilder();
        void Line(string key, object value) => b.Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');

        Line("schema", "rightsize-features");
        Line("version", o.Version);
        Line("reserved", ReservedSlots);
        Line("hashBits", o.HashBits);
        Line("dimension", ReservedSlots + (1 << o.HashBits));
        Line("hash", "fnv1a64-utf16+murmur3-fmix64; bucket=reserved+(mix(h^(seed*0x9E3779B97F4A7C15))&mask)");
        Line("normalize", "lower-invariant; digits->'0'; words=runs of letter/digit/'_' (max " + o.MaxWordChars.ToString(CultureInfo.InvariantCulture) + " chars hashed); other non-space char=one token");
        Line("chars", "whitespace runs->' '; padded with ' '; hashed backwards from last char; seed^n");
        Line("values", "per block: 1+ln(count) per bucket, block L2-normalised, times block weight; colliding buckets add");
        Line("charNgrams", o.CharNgramMin.ToString(CultureInfo.InvariantCulture) + "-" + o.CharNgramMax.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < BlockCount; i++)
        {
            Line("block." + ((FeatureBlock)i).ToString(), "seed=" + BlockSeed(i).ToString("x16", CultureInfo.InvariantCulture) + ";weight=" + o.BlockWeights[i].ToString("R", CultureInfo.InvariantCulture));
        }

        Line("caps.lastUserWords", o.WordHeadChars + "+" + o.WordTailChars);
        Line("caps.lastUserChars", o.CharHeadChars + "+" + o.CharTailChars);
        Line("caps.system", o.SystemTurns + "x(" + o.SystemChars + "+" + (o.SystemChars / 4) + ")");
        Line("caps.history", o.HistoryTurns + "x(" + o.HistoryCharsPerTurn + "+" + (o.HistoryCharsPerTurn / 2) + ");unigrams");
        Line("caps.structural", o.StructuralScanChars + "+" + (o.StructuralScanChars / 4));
        Line("logScale", LogScale.ToString("R", CultureInfo.InvariantCulture));
        for (var s = 0; s < (int)StructuralSlot.Count; s++) Line("slot." + s.ToString(CultureInfo.InvariantCulture), ((StructuralSlot)s).ToString());
        Line("markers.reasoning", string.Join(',', Markers.Reasoning));
        Line("markers.math", string.Join(',', Markers.Math));
        Line("markers.code", string.Join(',', Markers.Code));
        Line("markers.creative", string.Join(',', Markers.Creative));
        Line("markers.simple", string.Join(',', Markers.Simple));
        Line("markers.question", string.Join(',', Markers.QuestionWords));
        foreach (var (first, second) in Markers.Pairs) Line("markers.pair", first + " " + second);
        return b.ToString();
    }
}
