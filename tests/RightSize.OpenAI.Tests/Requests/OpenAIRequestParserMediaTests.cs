using RightSize.OpenAI.Chat;

namespace RightSize.OpenAI.Tests.Requests;

/// <summary>Image, audio and file parts: counted for the media rule and estimated for the token budget, never decoded.</summary>
public class OpenAIRequestParserMediaTests
{
    [Theory]
    [InlineData("""{"url":"https://example.com/a.png","detail":"low"}""", 85)]
    [InlineData("""{"detail":"low","url":"data:image/png;base64,AAAA"}""", 85)]
    [InlineData("""{"url":"https://example.com/a.png","detail":"high"}""", 765)]
    [InlineData("""{"url":"https://example.com/a.png","detail":"auto"}""", 765)]
    [InlineData("""{"url":"https://example.com/a.png"}""", 765)]
    [InlineData("\"https://example.com/a.png\"", 765)]
    public void TryParseChat_ImagePart_CountedAndEstimatedByDetail(string imageUrl, int tokens)
    {
        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{{imageUrl}}}]}]}""");

        Assert.Equal(new MediaParts(1, 0, 0), request.Prompt!.Media);
        Assert.Equal(tokens, request.Prompt.UncountedTokens);
        Assert.Equal("", Assert.Single(request.Prompt.Turns).Text);
    }

    [Fact]
    public void TryParseChat_TypeAfterTheValue_StillCountsTheImage()
    {
        var request = ParserAssert.Chat("""{"messages":[{"role":"user","content":[{"image_url":{"url":"https://example.com/a.png","detail":"low"},"type":"image_url"}]}]}""");

        Assert.Equal((1, 85), (request.Prompt!.Media.Images, request.Prompt.UncountedTokens));
    }

    [Fact]
    public void TryParseChat_AudioPart_EstimatedAtTwoThousandBase64CharactersAToken()
    {
        var data = new string('A', 20_001);

        var request = ParserAssert.Chat($$$"""{"messages":[{"role":"user","content":[{"type":"text","text":"Transcribe."},{"type":"input_audio","input_audio":{"data":"{{{data}}}","format":"wav"}}]}]}""");

        Assert.Equal(new MediaParts(0, 1, 0), request.Prompt!.Media);
        Assert.Equal(11, request.Prompt.UncountedTokens); // 20,001 / 2,000, rounded up
        Assert.Equal("Transcribe.", Assert.Single(request.Prompt.Turns).Text);
    }

    [Fact]
    public void TryParseChat_FilePart_EstimatedAtFiftyBase64CharactersAToken()
    {
        var pdf = "data:application/pdf;base64," + new string('A', 49_972); // 50,000 characters in all

        var request = ParserAssert.Chat($$$"""{"messages":[{"role":"user","content":[{"type":"file","file":{"filename":"contract.pdf","file_data":"{{{pdf}}}"}}]}]}""");

        Assert.Equal(new MediaParts(0, 0, 1), request.Prompt!.Media);
        Assert.Equal(1_000, request.Prompt.UncountedTokens);
    }

    [Fact]
    public void TryParseChat_FileById_CountedWithoutAnEstimate()
    {
        var request = ParserAssert.Chat("""{"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc123"}}]}]}""");

        Assert.Equal((1, 0), (request.Prompt!.Media.Files, request.Prompt.UncountedTokens));
    }

    [Fact]
    public void TryParseChat_PartsAcrossMessages_AddUp()
    {
        var request = ParserAssert.Chat("""
            {"messages":[
              {"role":"system","content":"Compare them."},
              {"role":"user","content":[
                {"type":"text","text":"First:"},
                {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"high"}},
                {"type":"image_url","image_url":{"url":"https://example.com/b.png","detail":"low"}}]},
              {"role":"assistant","content":[{"type":"refusal","refusal":"No."}]},
              {"role":"user","content":[
                {"type":"input_audio","input_audio":{"format":"mp3","data":"AAAA"}},
                {"type":"file","file":{"file_data":"AAAA"}},
                {"type":"image_url","image_url":{"url":"https://example.com/c.png"}}]}
            ]}
            """);

        Assert.Equal(new MediaParts(3, 1, 1), request.Prompt!.Media);
        Assert.Equal(5, request.Prompt.Media.Count);
        Assert.Equal(765 + 85 + 1 + 1 + 765, request.Prompt.UncountedTokens);
    }

    [Theory]
    [InlineData("""{"type":"text","text":"only text"}""")]
    [InlineData("""{"type":"refusal","refusal":"no"}""")]
    [InlineData("""{"type":"x_vendor_part","image_url":{"url":"https://example.com/a.png"}}""")]
    public void TryParseChat_NoMediaPart_CountsNothing(string part)
    {
        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":[{{part}}]},{"role":"user","content":"plain"}]}""");

        Assert.Equal(default, request.Prompt!.Media);
        Assert.Equal(0, request.Prompt.UncountedTokens);
    }

    [Theory]
    [InlineData("""{"type":"image_url"}""", 1, 0, 765)]
    [InlineData("""{"type":"image_url","image_url":42}""", 1, 0, 765)]
    [InlineData("""{"type":"input_audio","input_audio":{"data":7}}""", 0, 1, 0)]
    [InlineData("""{"type":"input_audio","input_audio":"AAAA"}""", 0, 1, 0)]
    [InlineData("""{"type":"image_url","input_audio":{"data":"AAAA"}}""", 1, 0, 765)]
    public void TryParseChat_MediaPartOfAnotherShape_CountedWithItsDefaultEstimate(string part, int images, int audio, int tokens)
    {
        // Not the gateway's to refuse: the provider answers such a part with its own 400.
        var request = ParserAssert.Chat($$"""{"messages":[{"role":"user","content":[{{part}}]}]}""");

        Assert.Equal((images, audio, tokens), (request.Prompt!.Media.Images, request.Prompt.Media.Audio, request.Prompt.UncountedTokens));
    }
}
