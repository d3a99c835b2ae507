using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RightSize.Features.Text;

/// <summary>Character-level counts over the scanned part of the last user message.</summary>
internal struct TextStats
{
    public int Chars;
    public int Digits;
    public int Upper;
    public int NonAscii;
    public int Punctuation;
    public int Lines;
    public int MathSymbols;
    public int LatexCommands;
    public int Dollars;
    public int CodeFences;
    public int InlineCode;
    public int CodeChars;
    public int IndentedLines;
    public int ListItems;
    public int QuestionMarks;
    public int Urls;
    public int OptionLetters; // bit mask of A..J seen as option labels at line starts

    public readonly int OptionCount => BitOperations.PopCount((uint)OptionLetters);

    /// <summary>
    /// Scans one segment; segments are scanned independently. Sixteen characters at a time are
    /// classified in vector lanes: digits, capitals and non-ASCII characters are counted from the
    /// lane masks, and only the rare lanes (symbols, non-ASCII, line breaks) are visited one by one.
    /// </summary>
    public void Scan(ReadOnlySpan<char> text)
    {
        Chars += text.Length;
        if (text.IsEmpty) return;
        Lines++;
        ScanLineStart(text);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<ushort>.Count <= text.Length; i += Vector256<ushort>.Count)
            {
                ScanBlock(text, i, Vector256.Create(MemoryMarshal.Cast<char, ushort>(text.Slice(i, Vector256<ushort>.Count))));
            }
        }

        for (; i < text.Length; i++) ScanChar(text, i);
    }

    private void ScanBlock(ReadOnlySpan<char> text, int start, Vector256<ushort> c)
    {
        var digit = Vector256.LessThan(c - Vector256.Create((ushort)'0'), Vector256.Create((ushort)10));
        var upper = Vector256.LessThan(c - Vector256.Create((ushort)'A'), Vector256.Create((ushort)26));
        var lower = Vector256.LessThan(c - Vector256.Create((ushort)'a'), Vector256.Create((ushort)26));
        var nonAscii = Vector256.GreaterThanOrEqual(c, Vector256.Create((ushort)128));
        var newline = Vector256.Equals(c, Vector256.Create((ushort)'\n'));
        var visible = Vector256.GreaterThan(c, Vector256.Create((ushort)' '));
        var symbol = visible & ~(digit | upper | lower | nonAscii);

        Digits += BitOperations.PopCount(digit.ExtractMostSignificantBits());
        Upper += BitOperations.PopCount(upper.ExtractMostSignificantBits());
        var rare = (symbol | nonAscii | newline).ExtractMostSignificantBits();
        while (rare != 0)
        {
            ScanChar(text, start + BitOperations.TrailingZeroCount(rare));
            rare &= rare - 1;
        }
    }

    /// <summary>One character's counts, except the first line's start, which <see cref="Scan"/> takes.</summary>
    private void ScanChar(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        if (c == '\n')
        {
            if (i + 1 < text.Length)
            {
                Lines++;
                ScanLineStart(text[(i + 1)..]);
            }
        }
        else if (c < 128)
        {
            if ((uint)(c - '0') <= 9) Digits++;
            else if ((uint)(c - 'A') <= 'Z' - 'A') Upper++;
            else if ((uint)((c | 0x20) - 'a') > 'z' - 'a' && c > ' ') ScanAsciiSymbol(text, i, c);
        }
        else
        {
            NonAscii++;
            if (IsMathSymbol(c)) MathSymbols++;
        }
    }

    private void ScanAsciiSymbol(ReadOnlySpan<char> text, int i, char c)
    {
        Punctuation++;
        switch (c)
        {
            case '=' or '+' or '*' or '/' or '^' or '<' or '>' or '%':
                MathSymbols++;
                break;
            case '{' or '}' or ';' or '[' or ']' or '(' or ')' or '_' or '#' or '|' or '&':
                CodeChars++;
                break;
            case '$':
                Dollars++;
                break;
            case '?':
                QuestionMarks++;
                break;
            case '\\':
                if (i + 1 < text.Length && char.IsAsciiLetter(text[i + 1])) LatexCommands++;
                break;
            case '`':
                if (i + 2 < text.Length && text[i + 1] == '`' && text[i + 2] == '`') CodeFences++;
                else if ((i == 0 || text[i - 1] != '`') && (i + 1 >= text.Length || text[i + 1] != '`')) InlineCode++;
                break;
            case ':':
                if (i >= 4 && text[(i + 1)..].StartsWith("//", StringComparison.Ordinal)) Urls++;
                break;
            default:
                break;
        }
    }

    private void ScanLineStart(ReadOnlySpan<char> line)
    {
        if ((line.Length > 0 && line[0] == '\t') || line.StartsWith("    ", StringComparison.Ordinal)) IndentedLines++;
        line = line.TrimStart(" \t");
        if (line.Length < 2) return;
        var c0 = line[0];
        if ((c0 is '-' or '*' or '•') && line[1] == ' ')
        {
            ListItems++;
            return;
        }

        var option = line;
        if (option[0] == '(' && option.Length >= 3) option = option[1..];
        if ((uint)(option[0] - 'A') <= 'J' - 'A' && option.Length >= 2 && option[1] is '.' or ')' or ':')
        {
            OptionLetters |= 1 << (option[0] - 'A');
            return;
        }

        var digits = 0;
        while (digits < line.Length && digits < 3 && (uint)(line[digits] - '0') <= 9) digits++;
        if (digits > 0 && digits + 1 < line.Length && line[digits] is '.' or ')' && line[digits + 1] == ' ') ListItems++;
    }

    /// <summary>The maths symbols counted; a set lookup, since a chain of 24 comparisons mispredicts on maths text.</summary>
    private static readonly SearchValues<char> MathSymbolSet = SearchValues.Create("∑∫√π≤≥±×÷∞≠≈∂∀∃∈⊂→⇒θλΣΔ°");

    private static bool IsMathSymbol(char c) => MathSymbolSet.Contains(c);
}
