using System.IO.Compression;
using System.Text;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Tests.Forwarding;

/// <summary>Which codings an upstream applied, which the gateway can undo, and undoing them in order.</summary>
public sealed class ContentCodingsTests
{
    [Theory]
    [InlineData("gzip", new[] { "gzip" })]
    [InlineData("GZip", new[] { "GZip" })]
    [InlineData("gzip, br", new[] { "gzip", "br" })]
    [InlineData(" deflate ,identity", new[] { "deflate" })]
    [InlineData("identity", new string[0])]
    [InlineData("gzip;q=1", new[] { "gzip;q=1" })]
    public void Of_ContentEncodingHeader_CodingsInTheOrderApplied(string header, string[] expected)
    {
        using var content = new ByteArrayContent([]);
        content.Headers.TryAddWithoutValidation("Content-Encoding", header);

        Assert.Equal(expected, ContentCodings.Of(content.Headers));
    }

    [Fact]
    public void Of_NoContentEncoding_Empty()
    {
        using var content = new ByteArrayContent([]);

        Assert.Empty(ContentCodings.Of(content.Headers));
    }

    [Theory]
    [InlineData(true, new[] { "gzip" })]
    [InlineData(true, new[] { "X-GZIP" })]
    [InlineData(true, new[] { "deflate", "br" })]
    [InlineData(false, new[] { "zstd" })]
    [InlineData(false, new[] { "gzip", "compress" })]
    [InlineData(false, new[] { "gzip;q=1" })]
    [InlineData(true, new[] { "br", "deflate", "gzip" })]
    [InlineData(false, new[] { "br", "br", "br", "br" })] // each is a decoder stacked on the last: thousands took the process's stack
    public void CanDecode_Codings_OnlyWhenEveryOneIsKnownAndThereAreFew(bool expected, string[] codings) =>
        Assert.Equal(expected, ContentCodings.CanDecode(codings));

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("gzip,br")]
    [InlineData("br,deflate,gzip")]
    public async Task Decode_BodyEncodedInTurn_OriginalBytes(string applied)
    {
        var codings = applied.Split(',');
        var body = Encoding.UTF8.GetBytes("{\"id\":\"c1\",\"usage\":{\"prompt_tokens\":11}}");
        var encoded = body;
        foreach (var coding in codings) encoded = Encode(coding, encoded);

        await using var decoded = ContentCodings.Decode(new MemoryStream(encoded), codings);
        using var result = new MemoryStream();
        await decoded.CopyToAsync(result, TestContext.Current.CancellationToken);

        Assert.Equal(body, result.ToArray());
    }

    private static byte[] Encode(string coding, byte[] body)
    {
        using var encoded = new MemoryStream();
        using (Stream encoder = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(encoded, CompressionLevel.Fastest),
            "deflate" => new ZLibStream(encoded, CompressionLevel.Fastest),
            _ => new BrotliStream(encoded, CompressionLevel.Fastest),
        })
        {
            encoder.Write(body);
        }

        return encoded.ToArray();
    }
}
