namespace RightSize.OpenAI.Json;

/// <summary>
/// Lone surrogates written as JSON escapes (<c>"\ud800"</c>): well-formed JSON by its grammar, but no
/// Unicode text, so a provider cannot read them, and .NET's JSON reader refuses to decode them.
/// </summary>
public static class SurrogateEscapes
{
    /// <summary>
    /// Whether every surrogate escaped in <paramref name="json"/> is a high one (<c>D800</c> to
    /// <c>DBFF</c>) directly followed by an escaped low one (<c>DC00</c> to <c>DFFF</c>). For text a
    /// JSON reader has accepted, in which a backslash only occurs in a string. Only escapes that
    /// begin <c>\ud</c> or <c>\uD</c> are looked at, each search vectorised, so text with other
    /// escapes (<c>\n</c>, or CJK written as <c>\u4e2d</c>) costs two passes and nothing more.
    /// </summary>
    public static bool ArePaired(ReadOnlySpan<byte> json) => ArePaired(json, "\\ud"u8) && ArePaired(json, "\\uD"u8);

    private static bool ArePaired(ReadOnlySpan<byte> json, ReadOnlySpan<byte> prefix)
    {
        var offset = 0;
        while (true)
        {
            var found = json[offset..].IndexOf(prefix);
            if (found < 0) return true;
            var at = offset + found;
            offset = at + prefix.Length;
            if (IsEscapedBackslash(json, at) || !TryReadEscape(json, at, out var unit) || !char.IsSurrogate(unit)) continue;
            if (char.IsHighSurrogate(unit))
            {
                if (!TryReadEscape(json, at + 6, out var next) || !char.IsLowSurrogate(next)) return false;
                offset = at + 12; // its low half, found by this search or the other, is paired already
            }
            else if (!TryReadEscape(json, at - 6, out var previous) || !char.IsHighSurrogate(previous) || IsEscapedBackslash(json, at - 6))
            {
                return false;
            }
        }
    }

    // The backslash at `at` is an escaped one (the second of "\\") when an odd number of backslashes come before it.
    private static bool IsEscapedBackslash(ReadOnlySpan<byte> json, int at)
    {
        var before = 0;
        while (at - before - 1 >= 0 && json[at - before - 1] == (byte)'\\') before++;
        return before % 2 == 1;
    }

    // The UTF-16 unit of a \uXXXX escape starting at `at`.
    private static bool TryReadEscape(ReadOnlySpan<byte> json, int at, out char unit)
    {
        unit = default;
        if (at < 0 || at + 6 > json.Length || json[at] != (byte)'\\' || json[at + 1] != (byte)'u') return false;
        var value = 0;
        foreach (var symbol in json.Slice(at + 2, 4))
        {
            var digit = HexDigit(symbol);
            if (digit < 0) return false;
            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }

    private static int HexDigit(byte symbol) => symbol switch
    {
        >= (byte)'0' and <= (byte)'9' => symbol - '0',
        >= (byte)'a' and <= (byte)'f' => symbol - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => symbol - 'A' + 10,
        _ => -1,
    };
}
