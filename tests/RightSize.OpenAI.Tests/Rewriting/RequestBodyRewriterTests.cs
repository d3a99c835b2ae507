using System.Buffers;
using System.Text;
using System.Text.Json;
using RightSize.OpenAI.Rewriting;

namespace RightSize.OpenAI.Tests.Rewriting;

public class RequestBodyRewriterTests
{
    private static (string Body, RewriteResult Result) Rewrite(string body, string model = "gpt-4.1-mini", bool ensureIncludeUsage = false)
    {
        var bytes = RewriterTestSupport.RewriteToArray(Encoding.UTF8.GetBytes(body), model, ensureIncludeUsage, out var result);
        Assert.Equal(bytes.Length, result.BytesWritten);
        using var _ = JsonDocument.Parse(bytes);
        return (Encoding.UTF8.GetString(bytes), result);
    }

    [Fact]
    public void Rewrite_ModelFirst_ReplacesOnlyTheValue()
    {
        var (output, result) = Rewrite("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""", output);
        Assert.False(result.IncludeUsageAdded);
    }

    [Fact]
    public void Rewrite_ModelNotFirstWithVendorFieldsAndWhitespace_KeepsEveryOtherByte()
    {
        const string Template = """
            {
              "messages" : [ {"role":"user","content":"caf\u00e9 \ud83d\ude00 \"quoted\" \\ slash\/"} ],
              "x_vendor_flag":{ "nested":[1.0E+2, -0.000, 1e-7, 12345678901234567890], "s":"\u0041" } ,
              "model"   :	"__MODEL__"  ,
              "temperature":0.70,
              "logit_bias":{"50256":-100},
              "tools":[{"type":"function","function":{"name":"f","parameters":{}}}],
              "response_format":{"type":"json_object"}
            }

            """;

        var (output, _) = Rewrite(Template.Replace("__MODEL__", "auto"));

        Assert.Equal(Template.Replace("__MODEL__", "gpt-4.1-mini"), output);
    }

    [Fact]
    public void Rewrite_ModelLast_ReplacesValueBeforeClosingBrace()
    {
        var (output, _) = Rewrite("""{"messages":[],"model":"auto"}  """);

        Assert.Equal("""{"messages":[],"model":"gpt-4.1-mini"}  """, output);
    }

    [Theory]
    [InlineData("""{"messages":[]}""", """{"model":"gpt-4.1-mini","messages":[]}""")]
    [InlineData("""{ "messages":[] }""", """{"model":"gpt-4.1-mini", "messages":[] }""")]
    [InlineData("{}", """{"model":"gpt-4.1-mini"}""")]
    [InlineData("{ \n }", "{\"model\":\"gpt-4.1-mini\" \n }")]
    public void Rewrite_ModelAbsent_InsertsAfterOpeningBrace(string input, string expected)
    {
        Assert.Equal(expected, Rewrite(input).Body);
    }

    [Theory]
    [InlineData("""{"model":null,"a":1}""")]
    [InlineData("""{"model":42,"a":1}""")]
    [InlineData("""{"model":{"nested":["x"]},"a":1}""")]
    [InlineData("""{"\u006dodel":"auto","a":1}""")]
    public void Rewrite_ModelOfAnyTypeOrEscapedKey_IsReplaced(string input)
    {
        var (output, _) = Rewrite(input);

        using var document = JsonDocument.Parse(output);
        Assert.Equal("gpt-4.1-mini", document.RootElement.GetProperty("model").GetString());
        Assert.EndsWith("\":\"gpt-4.1-mini\",\"a\":1}", output);
    }

    [Fact]
    public void Rewrite_DuplicateModelKeys_ReplacesEveryOccurrence()
    {
        var (output, _) = Rewrite("""{"model":"auto","x":1,"model":"gpt-4o"}""");

        Assert.Equal("""{"model":"gpt-4.1-mini","x":1,"model":"gpt-4.1-mini"}""", output);
    }

    [Fact]
    public void Rewrite_NestedModelKeys_AreLeftAlone()
    {
        var (output, _) = Rewrite("""{"metadata":{"model":"keep"},"model":"auto","messages":[{"role":"user","content":"{\"model\":\"keep\"}"}]}""");

        Assert.Equal("""{"metadata":{"model":"keep"},"model":"gpt-4.1-mini","messages":[{"role":"user","content":"{\"model\":\"keep\"}"}]}""", output);
    }

    [Theory]
    [InlineData("a\"b\\c")]
    [InlineData("modèle/ü")]
    [InlineData("line\nbreak</script>")]
    public void Rewrite_ModelNeedingEscapes_IsWrittenAsValidJsonString(string model)
    {
        var (output, _) = Rewrite("""{"model":"auto"}""", model);

        using var document = JsonDocument.Parse(output);
        Assert.Equal(model, document.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("""{"model":"auto","stream":true}""", """{"stream_options":{"include_usage":true},"model":"gpt-4.1-mini","stream":true}""", true)]
    [InlineData("""{"stream":true}""", """{"model":"gpt-4.1-mini","stream_options":{"include_usage":true},"stream":true}""", true)]
    [InlineData("""{"model":"auto","stream":true,"stream_options":{"include_usage":false}}""", """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true}}""", true)]
    [InlineData("""{"model":"auto","stream":true,"stream_options":{"include_usage" : null }}""", """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage" : true }}""", true)]
    [InlineData("""{"model":"auto","stream":true,"stream_options":{"include_usage":true}}""", """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true}}""", false)]
    [InlineData("""{"model":"auto","stream":true,"stream_options":{}}""", """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true}}""", true)]
    [InlineData("""{"model":"auto","stream":true,"stream_options":{ }}""", """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true }}""", true)]
    [InlineData("""{"model":"auto","stream":true,"stream_options":{"continuous_usage_stats":true}}""", """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true,"continuous_usage_stats":true}}""", true)]
    [InlineData("""{"model":"auto","stream":true,"stream_options":null}""", """{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true}}""", true)]
    [InlineData("""{"stream_options":{"include_usage":false},"model":"auto","stream":true}""", """{"stream_options":{"include_usage":true},"model":"gpt-4.1-mini","stream":true}""", true)]
    [InlineData("""{"model":"auto","stream":false,"stream_options":{"include_usage":false}}""", """{"model":"gpt-4.1-mini","stream":false,"stream_options":{"include_usage":false}}""", false)]
    [InlineData("""{"model":"auto"}""", """{"model":"gpt-4.1-mini"}""", false)]
    public void Rewrite_EnsureIncludeUsage_TurnsUsageOnOnlyForStreams(string input, string expected, bool added)
    {
        var (output, result) = Rewrite(input, ensureIncludeUsage: true);

        Assert.Equal(expected, output);
        Assert.Equal(added, result.IncludeUsageAdded);
    }

    [Fact]
    public void Rewrite_EnsureIncludeUsageOff_LeavesStreamOptionsAlone()
    {
        const string Input = """{"model":"auto","stream":true,"stream_options":{"include_usage":false}}""";

        var (output, result) = Rewrite(Input, ensureIncludeUsage: false);

        Assert.Equal(Input.Replace("auto", "gpt-4.1-mini"), output);
        Assert.False(result.IncludeUsageAdded);
    }

    [Fact]
    public void Rewrite_ByteOrderMark_IsDropped()
    {
        byte[] input = [0xEF, 0xBB, 0xBF, .. """{"model":"auto"}"""u8];

        var output = RewriterTestSupport.RewriteToArray(input, "m", false, out _);

        Assert.Equal("""{"model":"m"}"""u8.ToArray(), output);
    }

    [Fact]
    public void Rewrite_IntoBufferWriter_AppendsAfterExistingContent()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("prefix:"u8);

        var result = RequestBodyRewriter.Rewrite("""{"model":"auto"}"""u8, JsonEncodedText.Encode("m"), false, buffer);

        Assert.Equal("prefix:{\"model\":\"m\"}", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(13, result.BytesWritten);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"model\"")]
    public void Rewrite_NotAnObject_ThrowsArgumentException(string input)
    {
        Assert.Throws<ArgumentException>(() => RewriterTestSupport.RewriteToArray(Encoding.UTF8.GetBytes(input), "m", false, out _));
    }

    [Theory]
    [InlineData("{\"model\":\"auto\"")]
    [InlineData("{\"model\":\"auto\"} x")]
    public void Rewrite_MalformedJson_ThrowsJsonExceptionBeforeWriting(string input)
    {
        var buffer = new ArrayBufferWriter<byte>();

        Assert.ThrowsAny<JsonException>(() => RequestBodyRewriter.Rewrite(Encoding.UTF8.GetBytes(input), "m", false, buffer));
        Assert.Equal(0, buffer.WrittenCount);
    }
}
