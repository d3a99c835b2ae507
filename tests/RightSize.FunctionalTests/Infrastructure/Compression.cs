using System.IO.Compression;

namespace RightSize.FunctionalTests.Infrastructure;

/// <summary>Compresses as an upstream does for a <c>Content-Encoding</c>: for upstreams that compress whatever they are asked.</summary>
public static class Compression
{
    /// <summary>A stream that writes <paramref name="coding"/> (<c>gzip</c>, <c>x-gzip</c>, <c>deflate</c> in zlib format, <c>br</c>) to <paramref name="target"/>, which it leaves open.</summary>
    public static Stream Encoder(string coding, Stream target) => coding switch
    {
        "gzip" or "x-gzip" => new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true),
        "deflate" => new ZLibStream(target, CompressionLevel.Fastest, leaveOpen: true),
        "br" => new BrotliStream(target, CompressionLevel.Fastest, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, null),
    };

    /// <summary><paramref name="body"/> with each of <paramref name="codings"/> applied in turn, as <c>Content-Encoding: gzip, br</c> lists them.</summary>
    public static byte[] Encode(byte[] body, params string[] codings)
    {
        foreach (var coding in codings)
        {
            using var encoded = new MemoryStream();
            using (var encoder = Encoder(coding, encoded)) encoder.Write(body);
            body = encoded.ToArray();
        }

        return body;
    }
}
