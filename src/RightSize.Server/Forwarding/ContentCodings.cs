using System.IO.Compression;
using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace RightSize.Server.Forwarding;

/// <summary>
/// The content codings (RFC 9110 §8.4.1) an upstream may apply to its response although the
/// gateway asked for <c>identity</c>, and how the gateway undoes them: <c>gzip</c> (and its alias
/// <c>x-gzip</c>), <c>deflate</c> (the zlib format RFC 9110 §8.4.1.2 names, not the raw deflate
/// some servers send by mistake) and <c>br</c>. Names are case-insensitive; <c>identity</c> is no
/// coding at all. At most <see cref="MaxDecodedCodings"/> codings are undone: each is a decoder
/// stacked on the last, and an upstream that listed thousands would take the gateway's stack and
/// memory with it. A client's request body must have none (<c>identity</c> alone is fine): it is
/// parsed and rewritten as sent.
/// </summary>
internal static class ContentCodings
{
    private const string Identity = "identity";

    /// <summary>The most codings undone on one body: servers apply one, rarely two; a longer list is no real server's.</summary>
    public const int MaxDecodedCodings = 3;

    /// <summary>
    /// The codings the upstream applied, in the order it applied them, <c>identity</c> left out;
    /// empty when the body is not encoded. Read from the raw header, so a value .NET would not
    /// parse is still seen.
    /// </summary>
    public static string[] Of(HttpContentHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(HeaderNames.ContentEncoding, out var values)) return [];
        var codings = new List<string>(1);
        foreach (var value in values) Add(value, codings);
        return [.. codings];
    }

    /// <summary>The codings a request's <c>Content-Encoding</c> lists, <c>identity</c> left out; empty when the body is not encoded.</summary>
    public static string[] Of(StringValues values)
    {
        if (values.Count == 0) return [];
        var codings = new List<string>(1);
        foreach (var value in values) Add(value, codings);
        return [.. codings];
    }

    private static void Add(string? value, List<string> codings)
    {
        foreach (var coding in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!coding.Equals(Identity, StringComparison.OrdinalIgnoreCase)) codings.Add(coding);
        }
    }

    /// <summary>Whether the gateway can undo every one of <paramref name="codings"/>, and there are no more than <see cref="MaxDecodedCodings"/>.</summary>
    public static bool CanDecode(string[] codings) =>
        codings.Length <= MaxDecodedCodings && Array.TrueForAll(codings, static coding => IsKnown(coding));

    /// <summary>
    /// <paramref name="encoded"/> with <paramref name="codings"/> undone, the last applied first.
    /// Each decoder passes on what it has decoded as soon as it has some, so a stream flushed by the
    /// upstream arrives event by event.
    /// </summary>
    public static Stream Decode(Stream encoded, string[] codings)
    {
        var decoded = encoded;
        for (var i = codings.Length - 1; i >= 0; i--) decoded = Decoder(codings[i], decoded);
        return decoded;
    }

    private static bool IsKnown(string coding) => IsGzip(coding) || IsDeflate(coding) || IsBrotli(coding);

    private static Stream Decoder(string coding, Stream encoded) =>
        IsGzip(coding) ? new GZipStream(encoded, CompressionMode.Decompress)
        : IsDeflate(coding) ? new ZLibStream(encoded, CompressionMode.Decompress)
        : IsBrotli(coding) ? new BrotliStream(encoded, CompressionMode.Decompress)
        : throw new ArgumentOutOfRangeException(nameof(coding), coding, "Not a coding the gateway decodes; check CanDecode first.");

    private static bool IsGzip(string coding) =>
        coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);

    private static bool IsDeflate(string coding) => coding.Equals("deflate", StringComparison.OrdinalIgnoreCase);

    private static bool IsBrotli(string coding) => coding.Equals("br", StringComparison.OrdinalIgnoreCase);
}
