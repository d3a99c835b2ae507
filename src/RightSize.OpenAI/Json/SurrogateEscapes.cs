using System.Globalization;

namespace RightSize.OpenAI.Json;

/// <summary>
/// Lone surrogates written as JSON escapes (<c>"\ud800"</c>): well-formed JSON by its grammar, but no
/// Unicode text, so a provider cannot read them, and .NET's JSON reader refuses to decode them.
/// </summary>
public static class SurrogateEscapes
{
    private static ReadOnlySpan<byte> UnicodeEscape => "\\u"u8;

    /// <summary>
    /// Whether every surrogate escaped in <paramref name="json"/> is a high one (<c>D800</c> to
    /// <c>DBFF</c>) directly followed by an escaped low one (<c>DC00</c> to <c>DFFF</c>). For text a
    /// JSON reader has accepted, in which a backslash only occurs in a string; a body without
    /// <c>\u</c> is one vectorised search.
    /// </summary>
    public static bool ArePaired(ReadOnlySpan<byte> json)
    {
        var offset = 0;
        while (true)
        {
            var found = json[offset..].IndexOf(UnicodeEscape);
            if (found < 0) return true;
            var at = offset + found;
            offset = at + 2;
            if (IsEscapedBackslash(json, at) || !TryReadUnit(json, offset, out var unit)) continue;
            offset += 4;
            if (!char.IsSurrogate(unit)) continue;
            if (char.IsLowSurrogate(unit)) return false;
            if (!json[offset..].StartsWith(UnicodeEscape) || !TryReadUnit(json, offset + 2, out var low) || !char.IsLowSurrogate(low)) return false;
            offset += 6;
        }
    }

    // "\\u" in JSON text is an escaped backslash and a letter u when an odd number of backslashes come before the one found.
    private static bool IsEscapedBackslash(ReadOnlySpan<byte> json, int at)
    {
        var before = 0;
        while (at - before - 1 >= 0 && json[at - before - 1] == (byte)'\\') before++;
        return before % 2 == 1;
    }

    private static bool TryReadUnit(ReadOnlySpan<byte> json, int offset, out char unit)
    {
        unit = default;
        if (offset + 4 > json.Length || !ushort.TryParse(json.Slice(offset, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return false;
        unit = (char)value;
        return true;
    }
}
