using System.Text;
using System.Text.Json;

namespace RightSize.OpenAI.Requests;

/// <summary>How a property name of a JSON object compares with the names the gateway reads there.</summary>
internal enum NameMatch
{
    /// <summary>Not a name the gateway reads, in any spelling.</summary>
    Other,

    /// <summary>A name the gateway reads, met for the first time in this object.</summary>
    First,

    /// <summary>A name the gateway reads, met before in this object.</summary>
    Repeated,

    /// <summary>A name the gateway reads, spelt in another case (<c>Model</c>, <c>STREAM</c>, <c>ſtream</c>).</summary>
    OtherCase,
}

/// <summary>
/// The property names the gateway reads in one kind of JSON object (the request, a message, a
/// content part...), at most 32. JSON parsers disagree about keys: given one twice, one keeps the
/// last, another the first; and some match keys without regard to case (Go's <c>encoding/json</c>,
/// behind Ollama's OpenAI API among others, and .NET's with web defaults). Either way the gateway
/// could route, price or count usage for one value while the upstream answers for another, so a
/// read name given twice, or in another case, is refused.
/// </summary>
internal sealed class ReadNames
{
    private readonly byte[][] _utf8;

    // The longest a name that folds to one of these can be as the JSON spells it: six bytes
    // (an escape such as \u212A) for each character.
    private readonly int _maxSpelling;

    public ReadNames(params string[] names)
    {
        if (names.Length > 32) throw new ArgumentException("At most 32 names: one bit each in an int.", nameof(names));
        Names = names;
        _utf8 = [.. names.Select(Encoding.UTF8.GetBytes)];
        _maxSpelling = names.Max(n => n.Length) * 6;
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Compares the property name the reader is on; <paramref name="seen"/> has a bit per name met
    /// so far in this object, and <paramref name="name"/> is the name matched (null for
    /// <see cref="NameMatch.Other"/>).
    /// </summary>
    public NameMatch Match(ref Utf8JsonReader reader, ref int seen, out string? name)
    {
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (!reader.ValueTextEquals(_utf8[i])) continue;
            name = Names[i];
            var bit = 1 << i;
            if ((seen & bit) != 0) return NameMatch.Repeated;
            seen |= bit;
            return NameMatch.First;
        }

        name = OtherCaseOf(ref reader);
        return name is null ? NameMatch.Other : NameMatch.OtherCase;
    }

    private string? OtherCaseOf(ref Utf8JsonReader reader)
    {
        // The parser reads from one span, so a name never spans segments; the sequence is measured all the same.
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > _maxSpelling) return null;
        Span<byte> buffer = stackalloc byte[_maxSpelling];
        var written = reader.CopyString(buffer);
        var candidate = buffer[..written];
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (FoldsTo(candidate, _utf8[i])) return Names[i];
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="candidate"/> is <paramref name="name"/> (ASCII lower case) under
    /// simple case folding: ASCII letters in either case, and the two characters outside ASCII
    /// that fold to ASCII letters, ſ (U+017F) to s and the Kelvin sign (U+212A) to k.
    /// </summary>
    private static bool FoldsTo(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> name)
    {
        var at = 0;
        foreach (var expected in name)
        {
            if (at == candidate.Length) return false;
            var b = candidate[at];
            byte folded;
            if (b < 0x80)
            {
                folded = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
                at++;
            }
            else if (candidate[at..].StartsWith("\u017F"u8))
            {
                folded = (byte)'s';
                at += 2;
            }
            else if (candidate[at..].StartsWith("\u212A"u8))
            {
                folded = (byte)'k';
                at += 3;
            }
            else
            {
                return false;
            }

            if (folded != expected) return false;
        }

        return at == candidate.Length;
    }
}
