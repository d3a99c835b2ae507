namespace RightSize.OpenAI.Json;

/// <summary>The UTF-8 byte order mark, which JSON senders must not add but readers may ignore (RFC 8259 §8.1).</summary>
public static class Utf8Bom
{
    /// <summary>The mark's three bytes, <c>EF BB BF</c>.</summary>
    public static ReadOnlySpan<byte> Bytes => [0xEF, 0xBB, 0xBF];

    /// <summary>Returns <paramref name="utf8"/> without its leading byte order marks (a sender that adds one may add it twice).</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> utf8)
    {
        while (utf8.StartsWith(Bytes)) utf8 = utf8[Bytes.Length..];
        return utf8;
    }
}
